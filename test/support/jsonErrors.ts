/** The message `JSON.parse` gives for `text`, which must not be valid JSON. */
export function jsonErrorOf(text: string): string {
  try {
    JSON.parse(text);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the JSON parsed');
}
