/**
 * RFC 4180 CSV of `rows` with the given columns, header first, CRLF line ends. Cells that a
 * spreadsheet would run as a formula are prefixed with an apostrophe.
 */
export function toCsv<Row>(rows: readonly Row[], columns: ReadonlyArray<keyof Row & string>): string {
  const cell = (value: unknown) => {
    let text = value === null || value === undefined ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return [columns.join(','), ...rows.map((row) => columns.map((column) => cell(row[column])).join(','))].join('\r\n') + '\r\n';
}
