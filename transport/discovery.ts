// What a SCIM server advertises, read as capabilities. Discovery is optional in SCIM: without it the transport
// assumes the conservative set and says so.
import type { PlekCapabilities } from '../core/types';

/** Statuses that mean "this server does not offer that discovery endpoint" (SCIM makes discovery optional). */
export const NOT_ADVERTISED = new Set([404, 405, 501]);

const ASSUMED: PlekCapabilities = {
	patch: true,
	bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
	filter: { supported: true, maxResults: 0 },
	etag: false,
	assumed: [
		'Plek has no /ServiceProviderConfig: assumed PATCH and filters, no Bulk, no ETags; pages sized by the server (itemsPerPage)',
	],
};

/** Capabilities from a ServiceProviderConfig; `null` (none advertised) assumes the conservative set and says so. */
export function capabilitiesFrom(config: Record<string, unknown> | null): PlekCapabilities {
	if (config === null) return structuredClone(ASSUMED);
	const section = (name: string) => (config[name] ?? {}) as Record<string, unknown>;
	const num = (value: unknown) => (typeof value === 'number' && value > 0 ? value : 0);
	return {
		patch: section('patch').supported === true,
		bulk: {
			supported: section('bulk').supported === true,
			maxOperations: num(section('bulk').maxOperations),
			maxPayloadSize: num(section('bulk').maxPayloadSize),
		},
		filter: {
			supported: section('filter').supported === true,
			maxResults: num(section('filter').maxResults),
		},
		etag: section('etag').supported === true,
	};
}
