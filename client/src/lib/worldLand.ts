// Countries of the world for the map's background, so that land beyond the borders reads
// as land: Natural Earth 1:50m (the world-atlas package), emitted by the build as a static
// asset of our own (nothing fetched from the internet) and read once the map is drawn.
import type { FeatureCollection } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countriesUrl from 'world-atlas/countries-50m.json?url';

export async function loadCountries(): Promise<FeatureCollection> {
  const res = await fetch(countriesUrl);
  if (!res.ok) throw new Error(`countries: HTTP ${res.status}`);
  const topology = (await res.json()) as Topology<{ countries: GeometryCollection }>;
  return feature(topology, topology.objects.countries);
}
