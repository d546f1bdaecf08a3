// Types for the parts of the `tableschema` package (frictionless Table Schema validator,
// CommonJS, untyped) that the open-data tests use.
declare module 'tableschema' {
  type Row = Record<string, unknown>;
  interface RowError extends Error {
    rowNumber?: number;
    errors?: Error[];
  }
  interface Table {
    headers: string[];
    read(options: { keyed?: boolean; forceCast?: boolean; relations?: Record<string, Row[]> }): Promise<(Row | RowError)[]>;
  }
  const tableschema: {
    validate(descriptor: object): Promise<{ valid: boolean; errors: Error[] }>;
    Table: { load(source: string, options: { schema: object }): Promise<Table> };
  };
  export default tableschema;
}
