/** What `promise` rejected with, or undefined when it resolved: lets a test assert on the error itself. */
export async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return undefined;
}
