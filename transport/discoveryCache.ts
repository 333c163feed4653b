/**
 * /ServiceProviderConfig across runs: a scheduled sync reads it once an hour, not every run. Kept in a plain
 * object the node persists (n8n's workflow static data), keyed by SCIM base URL; discovery holds no secret.
 */
import type { PlekScimClient } from './client';

export const DISCOVERY_TTL_MS = 60 * 60 * 1000;

interface CachedDiscovery {
	readAt: number;
	/** null: the server has no /ServiceProviderConfig. */
	serviceProviderConfig: Record<string, unknown> | null;
}

export type DiscoveryStore = Record<string, unknown>;

function entryOf(store: DiscoveryStore, scimBaseUrl: string): CachedDiscovery | undefined {
	const entries = store.plekDiscovery as Record<string, CachedDiscovery> | undefined;
	const entry = entries && Object.prototype.hasOwnProperty.call(entries, scimBaseUrl) ? entries[scimBaseUrl] : undefined;
	if (!entry || typeof entry.readAt !== 'number') return undefined;
	const config = entry.serviceProviderConfig;
	return config === null || (typeof config === 'object' && !Array.isArray(config)) ? entry : undefined;
}

/** The cached /ServiceProviderConfig for this SCIM base, if read within the TTL (undefined: read it again). */
export function cachedServiceProviderConfig(store: DiscoveryStore, scimBaseUrl: string, now = Date.now()): Record<string, unknown> | null | undefined {
	const entry = entryOf(store, scimBaseUrl);
	if (!entry || now - entry.readAt >= DISCOVERY_TTL_MS || entry.readAt > now) return undefined;
	return entry.serviceProviderConfig;
}

/** Stores what the client read this run (nothing when it read nothing new). */
export async function rememberDiscovery(store: DiscoveryStore, client: PlekScimClient, now = Date.now()): Promise<void> {
	const config = await client.discoveredConfig();
	if (config === undefined || cachedServiceProviderConfig(store, client.scimBaseUrl, now) !== undefined) return;
	const entries = (store.plekDiscovery ?? {}) as Record<string, CachedDiscovery>;
	entries[client.scimBaseUrl] = { readAt: now, serviceProviderConfig: config };
	store.plekDiscovery = entries;
}
