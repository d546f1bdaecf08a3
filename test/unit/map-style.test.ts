// The style's legibility rules, checked on the layers it builds: labels name their layer,
// outlines are shifted into their lanes at every zoom, the reference (place names) sits
// under every layer's labels, and "outlines only" stops painting fills but not outlines.
import { describe, expect, it } from 'vitest';
import { createExpression } from '@maplibre/maplibre-gl-style-spec';
import type { LayerSpecification } from 'maplibre-gl';
import { buildEntries, KNOWN_LOOKS, LANE, type LayerEntry } from '../../client/src/lib/layers.ts';
import { labelText, lineLayers, opacityUpdates, overlayLayers } from '../../client/src/lib/mapStyle.ts';
import type { LayerInfo } from '../../client/src/lib/api.ts';

function evaluate(expression: unknown, zoom: number, properties: Record<string, unknown> = {}): unknown {
  const parsed = createExpression(expression, 'layout.text-field');
  if (parsed.result !== 'success') throw new Error(JSON.stringify(parsed.value));
  return parsed.value.evaluate({ zoom }, { type: 'Polygon', properties } as never);
}

const info = (id: string, extra: Partial<LayerInfo> = {}): LayerInfo =>
  ({ id, name: id, kind: 'intercommunal', vintage: '2025', source: 's', licence: 'l', fictif: false, count: 1, ...extra }) as LayerInfo;

const entries: LayerEntry[] = buildEntries([
  info('commune', { kind: 'commune' }),
  info('epci'),
  info('petr'),
  info('scheme', { kind: 'demarche', types: [{ id: 'cls', type: 'CLS', count: 1 }] } as Partial<LayerInfo>),
]);
const entry = (id: string) => entries.find((e) => e.id === id)!;

describe('labels', () => {
  it('put the layer before a name that does not say it', () => {
    expect(evaluate(labelText('PETR'), 8, { name: 'Grand Quercy' })).toBe('PETR · Grand Quercy');
    expect(evaluate(labelText('CLS'), 8, { name: 'Agglo Pays d’Issoire' })).toBe('CLS · Agglo Pays d’Issoire');
  });

  it('leave a name that already says its layer as it is', () => {
    expect(evaluate(labelText('PETR'), 8, { name: 'PETR Grand Quercy' })).toBe('PETR Grand Quercy');
    expect(evaluate(labelText('CLS'), 8, { name: 'CLS de Figeac' })).toBe('CLS de Figeac');
    const cls = KNOWN_LOOKS.cls!;
    expect(evaluate(labelText(cls.tag, cls.tagWords), 8, { name: 'Contrat local de santé du Grand Quercy' })).toBe(
      'Contrat local de santé du Grand Quercy',
    );
  });

  it('keep plain names for layers without a tag (EPCI names say CC, CA…)', () => {
    expect(KNOWN_LOOKS.epci!.tag).toBeUndefined();
    expect(evaluate(labelText(undefined), 8, { name: 'CC du Grand Figeac' })).toBe('CC du Grand Figeac');
  });
});

function paintOf(layers: LayerSpecification[], id: string): Record<string, unknown> {
  const l = layers.find((x) => x.id === id);
  if (!l || !('paint' in l)) throw new Error(`no layer ${id}`);
  return l.paint as Record<string, unknown>;
}

describe('outline lanes', () => {
  it('shift the PETR and the CLS outlines apart by at least their half-widths, at every zoom', () => {
    const petr = paintOf(lineLayers(entry('petr'), 1, true), 'petr:line');
    const cls = paintOf(lineLayers(entry('cls'), 1, true), 'cls:line');
    for (const zoom of [4, 6, 8, 10, 12, 14]) {
      const at = (v: unknown) => evaluate(v, zoom) as number;
      const gap = at(cls['line-offset']) - at(petr['line-offset']);
      expect(gap, `zoom ${zoom}`).toBeGreaterThanOrEqual((at(cls['line-width']) + at(petr['line-width'])) / 2 - 1e-9);
    }
  });

  it('keep the EPCI outline on the border itself, the PETR one lane inside', () => {
    expect(paintOf(lineLayers(entry('epci'), 1, true), 'epci:line')['line-offset']).toBeUndefined();
    expect(evaluate(paintOf(lineLayers(entry('petr'), 1, true), 'petr:line')['line-offset'], 8)).toBeCloseTo(LANE);
  });
});

describe('reference and outlines-only mode', () => {
  it('draws place names under every layer label, and commune names only with the commune source', () => {
    const ids = overlayLayers(entries, ['cls'], {}).map((l) => l.id);
    expect(ids.indexOf('ref-place-label')).toBeGreaterThan(-1);
    expect(ids.indexOf('ref-place-label')).toBeLessThan(ids.indexOf('cls:label'));
    expect(ids.indexOf('ref-departement-label')).toBeLessThan(ids.indexOf('petr:label'));
    const noCommune = overlayLayers(
      entries.filter((e) => e.layer !== 'commune'),
      [],
      {},
    ).map((l) => l.id);
    expect(noCommune).not.toContain('ref-place-label');
    expect(noCommune).toContain('ref-departement-label');
  });

  it('stops painting fills and hatchings, not outlines', () => {
    const normal = Object.fromEntries(opacityUpdates(entry('cls'), 1).map((u) => [`${u.layer} ${u.name}`, u.value]));
    const outlines = Object.fromEntries(opacityUpdates(entry('cls'), 1, true).map((u) => [`${u.layer} ${u.name}`, u.value]));
    const status = { 'feature-state': {} };
    const at = (v: unknown) => {
      const e = createExpression(v, 'paint.fill-opacity');
      if (e.result !== 'success') throw new Error('bad expression');
      return e.value.evaluate({ zoom: 8 }, { type: 'Polygon', properties: {} } as never, status as never) as number;
    };
    expect(at(normal['cls:fill fill-opacity'])).toBeGreaterThan(0);
    expect(at(normal['cls:hatch fill-opacity'])).toBeGreaterThan(0);
    expect(at(outlines['cls:fill fill-opacity'])).toBe(0);
    expect(at(outlines['cls:hatch fill-opacity'])).toBe(0);
    expect(outlines['cls:line line-opacity']).toEqual(normal['cls:line line-opacity']);
  });
});
