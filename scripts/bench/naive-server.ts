// Peer for the benchmark: the textbook tile server, one ST_AsMVT query per layer and per
// request against PostGIS, no cache, no compression. Run as its own process:
//   PORT=… DATABASE_URL=… tsx scripts/bench/naive-server.ts
import express from 'express';
import pg from 'pg';

const port = Number(process.env.PORT ?? 3401);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 8 });

function layerSql(layer: string): { sql: string; params: unknown[] } {
  const from = layer === 'commune' ? 'atlas.commune WHERE true' : 'atlas.perimeter WHERE layer = $4';
  return {
    sql: `SELECT ST_AsMVT(q, '${layer}', 4096, 'geom') AS mvt FROM (
            SELECT code, name,
              ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom
            FROM ${from}
              AND geom && ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326)
          ) q WHERE geom IS NOT NULL`,
    params: layer === 'commune' ? [] : [layer],
  };
}

const app = express();
app.get('/health', (_req, res) => {
  res.json({ ok: true });
});
app.get('/tiles/:layers/:z/:x/:y.mvt', async (req, res) => {
  const layers = decodeURIComponent(req.params.layers).replace(/[{}]/g, '').split(',');
  const [z, x, y] = [req.params.z, req.params.x, req.params.y].map(Number) as [number, number, number];
  if (!layers.every((l) => /^[a-z]+$/.test(l)) || ![z, x, y].every(Number.isInteger)) {
    res.status(400).end();
    return;
  }
  try {
    const parts: Buffer[] = [];
    for (const layer of layers) {
      const { sql, params } = layerSql(layer);
      const { rows } = await pool.query<{ mvt: Buffer }>(sql, [z, x, y, ...params]);
      if (rows[0]?.mvt?.length) parts.push(rows[0].mvt);
    }
    // concatenated tiles are one tile with all their layers (protobuf repeated field)
    const body = Buffer.concat(parts);
    if (!body.length) {
      res.status(204).end();
      return;
    }
    res.type('application/vnd.mapbox-vector-tile').send(body);
  } catch (err) {
    res.status(500).send((err as Error).message);
  }
});
app.listen(port, '127.0.0.1', () => console.log(`naive ST_AsMVT server on ${port}`));
process.on('SIGTERM', () => {
  void pool.end().finally(() => process.exit(0));
});
