/** Options of the Plek sandbox, their defaults, and the fault knobs that can change while it runs. */

/** A fixed latency in milliseconds, or a range drawn uniformly per request. */
export type Latency = number | { min: number; max: number };

/** The knobs that shape how unreliable the sandbox is; all can change at run time. */
export interface FaultKnobs {
	latencyMs: Latency;
	/** SCIM requests per second before answering 429 (0 = unlimited). */
	requestsPerSecond: number;
	/** Fraction (0..1) of SCIM requests answered 500/502/503. */
	faultRate: number;
	/** Fraction (0..1) of SCIM requests whose connection is destroyed without a response. */
	dropRate: number;
	/** Quirks of real SCIM servers (see QuirkKnobs); all off by default. */
	quirks?: Partial<QuirkKnobs>;
}

/** Ways a SCIM server differs from the RFCs or lies; each is handled by the transport and used by a test. */
export interface QuirkKnobs {
	/** Serve at most this many resources per list page, whatever count asked and maxResults advertises (0: off). */
	pageCap: number;
	/** Report this totalResults in every list response instead of the real one (0: off). */
	lyingTotalResults: number;
	/** Cut every list response body in half (invalid JSON). */
	truncateListBodies: boolean;
	/** Every list page after the first starts with the last resource of the page before (an id listed twice). */
	duplicateIdsAcrossPages: boolean;
	/** PATCH /Users refuses a filtered path (`emails[type eq "work"].value`) and a path-less value object holding
	 * a multi-valued attribute with 400 invalidPath; only plain paths (`emails`, `name.givenName`) pass. */
	rejectFilteredPatchPaths: boolean;
	/** Top-level attributes (or extension URNs + ':' + attribute) Plek accepts on create and PATCH but never
	 * stores: the answer is 2xx and the user comes back without them. */
	dropAttributes: string[];
	/** Answer /ServiceProviderConfig, /Schemas and /ResourceTypes with this status (404 or 501, as servers without
	 * discovery do; 0: off). */
	noDiscovery: number;
	/** Every SCIM error body echoes the request's bearer token in its detail (as careless servers do). */
	echoTokenInErrors: boolean;
	/** This share (0..1) of user writes (POST / PUT / PATCH /Users, Bulk operations too) is refused with 400
	 * invalidValue, spread evenly over the writes (0.8: four in every five); 0: off. */
	refuseUserWrites: number;
	/** List pages hold `Resources` as an object keyed by position instead of an array (a malformed ListResponse). */
	malformedListPages: boolean;
	/** What list responses report as totalResults: the real count, the length of the page served (a server
	 * nobody here wrote), or the real count capped at the page size (another one). */
	totalResultsAs: 'real' | 'pageLength' | 'pageSize';
	/** userName stays unique, but two users may carry the same externalId (no 409 for it). */
	externalIdNotUnique: boolean;
	/** Lists without a filter leave out users without an externalId (hand-made accounts); a filter finds them. */
	hideUnmanagedFromLists: boolean;
	/** PATCH `remove` with `path: "members"` and a value removes EVERY member (as one server does). */
	removeMembersWithValueRemovesAll: boolean;
	/** PATCH `add` of a member who is already in the group adds them a second time. */
	duplicateMemberAdds: boolean;
	/** PATCH /Users answers 204 with no body unless `?attributes=` is given. */
	patchNoContent: boolean;
	/** A filter value with an escaped quote (`\"`) answers 500 with a stack trace. */
	escapedQuoteFilter500: boolean;
	/** Backslashes in filter values are not unescaped (`"a\\b"` looks for two backslashes). */
	backslashNotUnescaped: boolean;
	/** /Bulk is advertised unsupported and answers 500 with a stack trace. */
	bulkBroken: boolean;
	/** PUT /Users/{id} merges: attributes the body leaves out keep their value. */
	putMerges: boolean;
	/** `emails.value eq` answers 400 as soon as one user has no e-mail; `emails[type eq "work"].value eq` never matches. */
	emailFilterQuirks: boolean;
	/** PATCH /Users refuses a path-less operation whose value has dotted names, and a path at an extension's root (400). */
	strictPatchPaths: boolean;
	/** /ServiceProviderConfig answers without a bearer token. */
	discoveryWithoutAuth: boolean;
}

export const NO_QUIRKS: QuirkKnobs = {
	pageCap: 0,
	lyingTotalResults: 0,
	truncateListBodies: false,
	duplicateIdsAcrossPages: false,
	rejectFilteredPatchPaths: false,
	dropAttributes: [],
	noDiscovery: 0,
	echoTokenInErrors: false,
	refuseUserWrites: 0,
	malformedListPages: false,
	totalResultsAs: 'real',
	externalIdNotUnique: false,
	hideUnmanagedFromLists: false,
	removeMembersWithValueRemovesAll: false,
	duplicateMemberAdds: false,
	patchNoContent: false,
	escapedQuoteFilter500: false,
	backslashNotUnescaped: false,
	bulkBroken: false,
	putMerges: false,
	emailFilterQuirks: false,
	strictPatchPaths: false,
	discoveryWithoutAuth: false,
};

/** The time the rate limit and the latency go by. */
export interface SandboxClock {
	now(): number;
	/** Calls `then` once `ms` milliseconds have passed. */
	after(ms: number, then: () => void): void;
}

export const REAL_CLOCK: SandboxClock = {
	now: () => Date.now(),
	after: (ms, then) => {
		setTimeout(then, ms);
	},
};

export interface SandboxOptions extends FaultKnobs {
	/** 0 picks a free port. */
	port: number;
	host: string;
	clientId: string;
	clientSecret: string;
	/** A fixed bearer token accepted next to issued ones (Plek's static-token mode). */
	staticToken?: string;
	tokenTtlSeconds: number;
	/** JSON file `{users: [], groups: []}` loaded at start (ignored when persistFile already exists). */
	seedFile?: string;
	/** JSON file the data is loaded from and saved to; without it the data lives in memory only. */
	persistFile?: string;
	/** Seed of the PRNG that drives faults and latency; the same seed gives the same fault sequence. */
	seed?: number;
	bulk: boolean;
	maxOperations: number;
	maxPayloadSize: number;
	/** Largest page served for a list or filter request. */
	maxResults: number;
	/** Page size when a list request has no `count`. */
	pageSize: number;
	/** No request log on stdout. */
	quiet: boolean;
	/** In-process only: a test's own clock, so it steps time instead of waiting (default: the real clock). */
	clock?: SandboxClock;
}

export const DEFAULT_OPTIONS: SandboxOptions = {
	port: 0,
	host: '127.0.0.1',
	clientId: 'sandbox',
	clientSecret: 'sandbox-secret',
	tokenTtlSeconds: 3600,
	latencyMs: 0,
	requestsPerSecond: 0,
	faultRate: 0,
	dropRate: 0,
	bulk: true,
	maxOperations: 1000,
	maxPayloadSize: 1048576,
	maxResults: 1000,
	pageSize: 100,
	quiet: true,
};

/** Checks knob values so a typo in a test or on the command line fails loudly instead of silently. */
export function validateKnobs(knobs: Partial<FaultKnobs>): void {
	for (const key of ['faultRate', 'dropRate'] as const) {
		const value = knobs[key];
		if (value !== undefined && (typeof value !== 'number' || !(value >= 0 && value <= 1))) {
			throw new Error(`${key} must be a number between 0 and 1`);
		}
	}
	if (
		knobs.requestsPerSecond !== undefined &&
		(typeof knobs.requestsPerSecond !== 'number' || !(knobs.requestsPerSecond >= 0))
	) {
		throw new Error('requestsPerSecond must be a number >= 0');
	}
	const quirks = knobs.quirks;
	if (quirks !== undefined) {
		const unknown = Object.keys(quirks).filter((key) => !(key in NO_QUIRKS));
		if (unknown.length) throw new Error(`Unknown quirk(s): ${unknown.join(', ')}`);
		if (quirks.noDiscovery !== undefined && ![0, 404, 501].includes(quirks.noDiscovery)) throw new Error('quirks.noDiscovery must be 0, 404 or 501');
		for (const key of ['pageCap', 'lyingTotalResults'] as const) {
			const value = quirks[key];
			if (value !== undefined && !(Number.isInteger(value) && value >= 0)) throw new Error(`quirks.${key} must be an integer >= 0`);
		}
		if (quirks.refuseUserWrites !== undefined && !(typeof quirks.refuseUserWrites === 'number' && quirks.refuseUserWrites >= 0 && quirks.refuseUserWrites <= 1)) {
			throw new Error('quirks.refuseUserWrites must be a number between 0 and 1');
		}
		if (quirks.totalResultsAs !== undefined && !['real', 'pageLength', 'pageSize'].includes(quirks.totalResultsAs)) {
			throw new Error('quirks.totalResultsAs must be real, pageLength or pageSize');
		}
		if (quirks.dropAttributes !== undefined && !(Array.isArray(quirks.dropAttributes) && quirks.dropAttributes.every((a) => typeof a === 'string'))) {
			throw new Error('quirks.dropAttributes must be a list of attribute names');
		}
	}
	const latency = knobs.latencyMs;
	if (latency !== undefined) {
		const valid =
			typeof latency === 'number'
				? latency >= 0
				: typeof latency === 'object' &&
					latency !== null &&
					latency.min >= 0 &&
					latency.max >= latency.min;
		if (!valid) throw new Error('latencyMs must be a number >= 0 or {min, max} with 0 <= min <= max');
	}
}
