// Peer for the benchmark: a MapServer 8 mapfile serving the same PostGIS tables as MVT
// (communes, EPCI, schemes), written into a temporary folder with the config file that
// MapServer 8 requires (MS_MAP_PATTERN limits map= to that folder).
import fs from 'node:fs';
import path from 'node:path';

function connection(url: string): string {
  const u = new URL(url);
  const parts = [
    `host=${u.hostname || '127.0.0.1'}`,
    `port=${u.port || '5432'}`,
    `dbname=${decodeURIComponent(u.pathname.slice(1))}`,
    `user=${decodeURIComponent(u.username || 'postgres')}`,
    ...(u.password ? [`password=${decodeURIComponent(u.password)}`] : []),
  ];
  return parts.join(' ');
}

const LAYERS: Record<string, string> = {
  commune: 'geom FROM atlas.commune USING UNIQUE code USING SRID=4326',
  epci: `geom FROM (SELECT code, name, geom FROM atlas.perimeter WHERE layer = 'epci') AS t USING UNIQUE code USING SRID=4326`,
  scheme: `geom FROM (SELECT code, name, subtype AS type, geom FROM atlas.perimeter WHERE layer = 'scheme') AS t USING UNIQUE code USING SRID=4326`,
};

export const MAPSERVER_LAYERS = Object.keys(LAYERS);

export function writeMapfile(dir: string, databaseUrl: string): { mapfile: string; configFile: string } {
  fs.mkdirSync(dir, { recursive: true });
  const layers = Object.entries(LAYERS)
    .map(
      ([name, data]) => `
  LAYER
    NAME "${name}"
    TYPE POLYGON
    STATUS ON
    CONNECTIONTYPE POSTGIS
    CONNECTION "${connection(databaseUrl)}"
    DATA "${data}"
    PROCESSING "CLOSE_CONNECTION=DEFER"
    PROJECTION "init=epsg:4326" END
    METADATA
      "gml_include_items" "code,name${name === 'scheme' ? ',type' : ''}"
      "gml_types" "auto"
    END
    CLASS
      STYLE OUTLINECOLOR 0 0 0 END
    END
  END`,
    )
    .join('\n');
  const mapfile = path.join(dir, 'millefeuille.map');
  fs.writeFileSync(
    mapfile,
    `MAP
  NAME "millefeuille"
  EXTENT -20037508.34 -20037508.34 20037508.34 20037508.34
  SIZE 256 256
  UNITS METERS
  IMAGETYPE "mvt"
  PROJECTION "init=epsg:3857" END
  OUTPUTFORMAT
    NAME "mvt"
    DRIVER MVT
    FORMATOPTION "EXTENT=4096"
    FORMATOPTION "EDGE_BUFFER=64"
  END
${layers}
END
`,
  );
  const configFile = path.join(dir, 'mapserver.conf');
  fs.writeFileSync(configFile, `CONFIG\n  ENV\n    MS_MAP_PATTERN "^${dir.replace(/[.^$*+?()[\]{}|\\]/g, '\\$&')}/"\n  END\nEND\n`);
  return { mapfile, configFile };
}
