// Placeholder entry so the CDK app can bundle it; replaced by the real handler.
export const handler = async (_event: unknown): Promise<void> => {
  throw new Error('not implemented yet');
};
