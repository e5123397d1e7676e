/** The EC2 tags the platform-tags function writes; its CreateTags permission allows these keys and no other. */
export const PLATFORM_TAG_KEYS = ['PlatformType', 'PlatformName', 'PlatformVersion'] as const;
export type PlatformTagKey = (typeof PLATFORM_TAG_KEYS)[number];
