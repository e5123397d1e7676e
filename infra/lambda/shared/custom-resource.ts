/**
 * The CloudFormation custom-resource protocol: the event a stack sends, and the answer PUT to its pre-signed
 * ResponseURL. Written here (not cfn-response) so that every handler is bundled from TypeScript the same way.
 */

export interface CustomResourceEvent<Props = Record<string, unknown>> {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly ResponseURL: string;
  readonly StackId: string;
  readonly RequestId: string;
  readonly LogicalResourceId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: Props & { readonly ServiceToken: string };
  readonly OldResourceProperties?: Props;
}

export interface CustomResourceOutcome {
  readonly physicalResourceId: string;
  readonly data?: Readonly<Record<string, string>>;
}

/** Sends SUCCESS or FAILED; CloudFormation shows `reason` in the stack events, so it must say what to do. */
export async function respond(
  event: CustomResourceEvent<unknown>,
  result:
    | { readonly ok: true; readonly outcome: CustomResourceOutcome }
    | { readonly ok: false; readonly reason: string },
  send: typeof fetch = fetch,
): Promise<void> {
  const body = JSON.stringify({
    Status: result.ok ? 'SUCCESS' : 'FAILED',
    // CloudFormation truncates nothing itself and rejects bodies over 4 KB: keep the reason short.
    Reason: result.ok ? 'OK' : result.reason.slice(0, 2000),
    PhysicalResourceId: result.ok
      ? result.outcome.physicalResourceId
      : (event.PhysicalResourceId ?? event.LogicalResourceId),
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    Data: result.ok ? (result.outcome.data ?? {}) : {},
  });
  const response = await send(event.ResponseURL, {
    method: 'PUT',
    // The pre-signed URL is signed for an empty content type.
    headers: { 'content-type': '' },
    body,
  });
  if (!response.ok) {
    throw new Error(`CloudFormation refused the custom-resource response: HTTP ${response.status}.`);
  }
}

/** Runs one request and always answers CloudFormation, so a failure never leaves the stack waiting an hour. */
export async function handleCustomResource<Props>(
  event: CustomResourceEvent<Props>,
  run: (event: CustomResourceEvent<Props>) => Promise<CustomResourceOutcome>,
  send: typeof fetch = fetch,
): Promise<void> {
  let result: Parameters<typeof respond>[1];
  try {
    result = { ok: true, outcome: await run(event) };
  } catch (error) {
    result = { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
  await respond(event, result, send);
}
