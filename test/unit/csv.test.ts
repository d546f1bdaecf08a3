import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvRecords } from '../../core/csv/read.ts';
import { csvCell, toCsv } from '../../core/csv/write.ts';

describe('parseCsv', () => {
  it('detects the separator and drops the byte-order mark', () => {
    const semi = parseCsv('\uFEFFcode;nom\n46042;Cahors\n');
    expect(semi.separator).toBe(';');
    expect(semi.header).toEqual(['code', 'nom']);
    expect(semi.rows).toEqual([{ code: '46042', nom: 'Cahors' }]);
    const comma = parseCsv('code,nom\r\n46042,Cahors\r\n');
    expect(comma.separator).toBe(',');
    expect(comma.rows[0]).toEqual({ code: '46042', nom: 'Cahors' });
  });

  it('reads quoted fields with separators, quotes and newlines', () => {
    const records = parseCsvRecords('a,b\n"x, y","he said ""hi""\nthen left"\n', ',');
    expect(records).toEqual([
      ['a', 'b'],
      ['x, y', 'he said "hi"\nthen left'],
    ]);
  });

  it('keeps codes as strings, leading zeros included', () => {
    const t = parseCsv('insee;pop\n01004;14000\n2A004;70000\n');
    expect(t.rows.map((r) => r.insee)).toEqual(['01004', '2A004']);
  });

  it('decodes Latin-1 bytes when they are not UTF-8', () => {
    const bytes = Uint8Array.from([...Buffer.from('nom;code\n'), 0xc9, ...Buffer.from('vry;91228\n')]);
    const t = parseCsv(bytes);
    expect(t.encoding).toBe('latin1');
    expect(t.rows[0]).toEqual({ nom: 'Évry', code: '91228' });
    const utf8 = parseCsv(Buffer.from('nom;code\nÉvry;91228\n'));
    expect(utf8.encoding).toBe('utf-8');
    expect(utf8.rows[0]!.nom).toBe('Évry');
  });

  it('rejects an unterminated quote', () => {
    expect(() => parseCsv('a;b\n"open;x\n')).toThrow(/guillemet/);
  });
});

describe('CSV export', () => {
  it('writes a BOM, semicolons, CRLF and French decimals', () => {
    const out = toCsv(
      [
        { key: 'code', label: 'code' },
        { key: 'share', label: 'part' },
      ],
      [{ code: '01004', share: 0.25 }],
    );
    expect(out).toBe('\uFEFFcode;part\r\n01004;0,25\r\n');
  });

  it('neutralises cells a spreadsheet would execute', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+33 1 23')).toBe("'+33 1 23");
    expect(csvCell('-cmd')).toBe("'-cmd");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('Saint-Étienne')).toBe('Saint-Étienne');
  });

  it('quotes separators and line breaks', () => {
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('a\nb')).toBe('"a\nb"');
    expect(csvCell(null)).toBe('');
  });
});
