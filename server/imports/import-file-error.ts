/** A problem with the file as a whole (not one row): the dry run stops and says why. */
export class ImportFileError extends Error {
  override name = "ImportFileError";
}
