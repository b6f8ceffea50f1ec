/** What a rejected promise threw (name, code, message), or null when it resolved: page results must be plain data. */
export async function errorOf(promise: Promise<unknown>): Promise<{ name: string; code: string; message: string } | null> {
  try {
    await promise;
    return null;
  } catch (error) {
    const e = error as { name: string; code: string; message: string };
    return { name: e.name, code: e.code, message: e.message };
  }
}
