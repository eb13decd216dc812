/**
 * In place of bowser, which the SDK's browser user-agent provider imports on its first call. That
 * provider never runs on Node (the clients use the Node one), yet its `import()` put 33 KB of dead code
 * in every asset. Should it ever run, it reads `parse` and gets "unknown" browser and OS sections.
 */
export const parse = (): Record<string, never> => ({});
