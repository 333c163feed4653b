/** Request counters: what tests and benchmarks read to prove how many calls (and writes) a sync made. */

export interface SandboxCounters {
	/** Every request outside /_sandbox. */
	total: number;
	/** SCIM write requests that passed rate limit, fault injection and auth; each Bulk operation counts as one. */
	writes: number;
	/** Connections the sandbox destroyed on purpose (dropRate). */
	dropped: number;
	/** By HTTP status ("200", "429"...) or "dropped". */
	byStatus: Record<string, number>;
	/** By route template ("GET /scim/v2/Users", "PATCH /scim/v2/Users/:id") then by status. */
	byRoute: Record<string, Record<string, number>>;
}

export function emptyCounters(): SandboxCounters {
	return { total: 0, writes: 0, dropped: 0, byStatus: {}, byRoute: {} };
}

const SCIM_BASE = '/scim/v2';
/** Resource endpoints whose second path segment is an id, so `/Users/8f3...` counts as `/Users/:id`. */
const ID_ENDPOINTS = new Set(['Users', 'Groups', 'Schemas', 'ResourceTypes']);

/** `GET /scim/v2/Users/123?x=1` -> `GET /scim/v2/Users/:id`. */
export function routeTemplate(method: string, originalUrl: string): string {
	const path = originalUrl.split('?')[0].replace(/\/+$/, '') || '/';
	if (path.startsWith(`${SCIM_BASE}/`)) {
		const [endpoint, id, ...rest] = path.slice(SCIM_BASE.length + 1).split('/');
		if (ID_ENDPOINTS.has(endpoint) && id !== undefined && !id.startsWith('.')) {
			return `${method} ${[SCIM_BASE, endpoint, ':id', ...rest].join('/')}`;
		}
	}
	return `${method} ${path}`;
}

export function countRequest(counters: SandboxCounters, route: string, status: string): void {
	counters.total++;
	counters.byStatus[status] = (counters.byStatus[status] ?? 0) + 1;
	const byStatus = (counters.byRoute[route] ??= {});
	byStatus[status] = (byStatus[status] ?? 0) + 1;
	if (status === 'dropped') counters.dropped++;
}
