import { useQuery } from '@tanstack/react-query';
import type { StyleSpecification } from 'maplibre-gl';
import type { ClientConfig } from '../../protocol/api.ts';
import { fetchJson } from '../app/fetch-json.ts';

function isClientConfig(body: unknown): body is ClientConfig {
  return (
    typeof body === 'object' &&
    body !== null &&
    'mapStyleUrl' in body &&
    (body.mapStyleUrl === null || typeof body.mapStyleUrl === 'string')
  );
}

function isStyle(body: unknown): body is StyleSpecification {
  return (
    typeof body === 'object' &&
    body !== null &&
    'version' in body &&
    body.version === 8 &&
    'sources' in body &&
    typeof body.sources === 'object' &&
    'layers' in body &&
    Array.isArray(body.layers)
  );
}

async function loadStyle(url: string, signal: AbortSignal): Promise<StyleSpecification> {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const body: unknown = await response.json();
  if (!isStyle(body)) throw new Error('not a MapLibre style (version 8 with sources and layers)');
  return body;
}

export interface Basemap {
  /** Still asking the server which basemap to draw. */
  pending: boolean;
  /** Someone's own style (MAP_STYLE_URL), or null for the offline basemap. */
  style: StyleSpecification | null;
  /** Why the configured style is not drawn, for the person looking at the map. */
  problem: string | null;
}

/**
 * Which basemap to draw. The offline one unless the server names a style URL; a style that
 * cannot be loaded falls back to the offline one, saying why. A server that cannot be asked
 * (down at page load) gets the offline one too: the map must not wait for it.
 */
export function useBasemap(): Basemap {
  const config = useQuery({
    queryKey: ['client-config'],
    queryFn: ({ signal }) => fetchJson('/api/v1/config', isClientConfig, signal),
    staleTime: Infinity,
    retry: 1,
  });
  const url = config.data?.mapStyleUrl ?? null;
  const style = useQuery({
    queryKey: ['map-style', url],
    queryFn: ({ signal }) => loadStyle(url!, signal),
    enabled: url !== null,
    staleTime: Infinity,
    retry: 1,
  });
  if (config.isPending) return { pending: true, style: null, problem: null };
  if (url === null) return { pending: false, style: null, problem: null };
  if (style.isPending) return { pending: true, style: null, problem: null };
  if (style.isError) {
    return {
      pending: false,
      style: null,
      problem: `The map style at ${url} could not be loaded (${style.error.message}); showing the built-in map.`,
    };
  }
  return { pending: false, style: style.data, problem: null };
}
