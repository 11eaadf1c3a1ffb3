/** "14, 7, 1" → ["14", "7", "1"]: the settings schema turns each into whole days, or says which is not one. */
export function splitDaysList(text: string): string[] {
  return text
    .split(/[,\s]+/)
    .map((part) => part.trim())
    .filter((part) => part !== "");
}
