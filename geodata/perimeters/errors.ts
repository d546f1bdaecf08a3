// The one error a perimeter import raises for a problem of the user's file or options:
// its message is French and shown as is; nothing has been written when it is thrown.
export class PerimeterImportError extends Error {
  override name = 'PerimeterImportError';
}
