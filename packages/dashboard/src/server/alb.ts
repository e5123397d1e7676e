/**
 * Behind an AWS Application Load Balancer that signs people in itself (an `authenticate-oidc` or
 * `authenticate-cognito` listener action), every request it forwards carries `x-amzn-oidc-data`: the person's
 * claims as a JWT the load balancer signs with ES256. AWS's guide "Authenticate users using an Application Load
 * Balancer", section "User claims encoding and signature verification", says how to trust it: take `kid` from
 * the JWT header, fetch that public key (PEM) from `https://public-keys.auth.elb.<region>.amazonaws.com/<kid>`,
 * verify the signature, and check that the header's `signer` is the load balancer's ARN — anyone can reach an
 * ALB of their own, whose tokens verify with the same Regional keys. The token's segments keep base64 padding,
 * which jose's compact verification accepts (the signature covers the segments as sent).
 */
import { type CryptoKey, importSPKI, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { PatchboardError } from '@patchboard/core';

export const ALB_HEADER = 'x-amzn-oidc-data';
/** Key ids are UUIDs; anything else never reaches a URL. */
const KID = /^[A-Za-z0-9-]{1,128}$/;
const KEY_FETCH_TIMEOUT_MS = 5000;
/** Key ids seen are few (AWS rotates them rarely); more than this kept would be someone trying ids. */
const KEYS_KEPT = 32;

export interface AlbOptions {
  /** The load balancer's ARN (the `signer` to expect). */
  readonly arn: string;
  /** Base URL of the Region's keys; default from the ARN's Region. */
  readonly publicKeysUrl?: string;
}

/** The default key location for the ARN's Region (the guide's Regional endpoint). */
export function albPublicKeysUrl(arn: string): string {
  const region = arn.split(':')[3];
  return `https://public-keys.auth.elb.${region}.amazonaws.com`;
}

export class AlbRefusal extends Error {}

/** Verifies `x-amzn-oidc-data` headers; keeps the Region's keys it fetched by `kid`. */
export class AlbVerifier {
  private readonly keys = new Map<string, Promise<CryptoKey>>();
  private readonly base: string;

  constructor(private readonly options: AlbOptions) {
    this.base = (options.publicKeysUrl ?? albPublicKeysUrl(options.arn)).replace(/\/+$/, '');
  }

  /** The claims, once signature, signer and expiry hold; an `AlbRefusal` saying what failed otherwise. */
  async verify(token: string): Promise<JWTPayload> {
    const key: JWTVerifyGetKey = async (header) => {
      const { signer, kid } = header as { signer?: unknown; kid?: unknown };
      if (signer !== this.options.arn) {
        throw new AlbRefusal(`it was signed for ${JSON.stringify(signer)}, not this load balancer`);
      }
      if (typeof kid !== 'string' || !KID.test(kid))
        throw new AlbRefusal('its key id is missing or malformed');
      return this.keyFor(kid);
    };
    try {
      const { payload } = await jwtVerify(token, key, { algorithms: ['ES256'] });
      return payload;
    } catch (error) {
      if (error instanceof AlbRefusal) throw error;
      const code = (error as { code?: unknown }).code;
      throw new AlbRefusal(
        code === 'ERR_JWT_EXPIRED'
          ? 'it has expired'
          : `it does not verify (${typeof code === 'string' ? code : String(error)})`,
      );
    }
  }

  private keyFor(kid: string): Promise<CryptoKey> {
    let key = this.keys.get(kid);
    if (!key) {
      key = this.fetchKey(kid);
      this.keys.set(kid, key);
      // A key that could not be fetched is asked again next time; a forged kid is not kept.
      key.catch(() => this.keys.delete(kid));
      if (this.keys.size > KEYS_KEPT) this.keys.delete(this.keys.keys().next().value!);
    }
    return key;
  }

  private async fetchKey(kid: string): Promise<CryptoKey> {
    const url = `${this.base}/${kid}`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(KEY_FETCH_TIMEOUT_MS) });
    } catch (error) {
      throw new PatchboardError(
        'IO',
        `Fetching the load balancer's public key ${url} failed: ${String(error)}`,
      );
    }
    if (!response.ok) throw new AlbRefusal(`no public key ${kid} is published (HTTP ${response.status})`);
    return importSPKI(await response.text(), 'ES256');
  }
}
