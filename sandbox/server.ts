/**
 * The Plek sandbox: a local server that plays a Plek environment over real HTTP — an OAuth2
 * client-credentials token endpoint and a SCIM 2.0 API (scimmy + scimmy-routers) — with knobs for latency,
 * rate limits and seeded faults, and admin endpoints under /_sandbox for tests and benchmarks.
 *
 * The admin endpoints have no auth, faults or rate limits: this is a local testing tool, bound to 127.0.0.1
 * by default. Never expose it.
 */
import type { AddressInfo } from 'node:net';
import { createServer, Server } from 'node:http';

import express, { NextFunction, Request, Response } from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';

import { Chaos } from './chaos';
import { countRequest, emptyCounters, routeTemplate, SandboxCounters } from './counters';
import { parseEqualityFilter } from './filter';
import { DEFAULT_OPTIONS, FaultKnobs, NO_QUIRKS, QuirkKnobs, REAL_CLOCK, SandboxOptions, validateKnobs } from './options';
import { applyMembership, membershipOperations } from './groupPatch';
import { applyWriteQuirks, listBody, type QuirkState } from './quirks';
import { declareScimResources, ScimContext, serviceProviderConfig } from './scim';
import { ResourceKind, ScimResource, ScimStore, SeedData } from './store';
import { safeEqual, TokenIssuer } from './tokens';

export type { FaultKnobs, Latency, QuirkKnobs, SandboxClock, SandboxOptions } from './options';
export type { SandboxCounters } from './counters';
export type { ScimResource, SeedData, StoreSnapshot } from './store';
export { ENTERPRISE_USER_SCHEMA, PLEK_USER_SCHEMA } from './scim';

export const SCIM_BASE_PATH = '/scim/v2';
export const TOKEN_PATH = '/oauth/token';

/** Knobs accepted by setFaults and POST /_sandbox/faults; `seed` restarts the fault PRNG. */
export type FaultUpdate = Partial<FaultKnobs> & { seed?: number };

export interface RunningSandbox {
	/** e.g. http://127.0.0.1:8787 (no trailing slash) */
	url: string;
	port: number;
	/** url + '/scim/v2' */
	scimUrl: string;
	/** url + '/oauth/token' */
	tokenUrl: string;
	options: Readonly<SandboxOptions>;
	close(): Promise<void>;
	counters(): SandboxCounters;
	resetCounters(): void;
	users(): ScimResource[];
	groups(): ScimResource[];
	/** Empties all users and groups. */
	reset(): void;
	/** Replaces all data (records without id/meta get them). */
	load(data: SeedData): void;
	setFaults(knobs: FaultUpdate): void;
	faults(): FaultKnobs;
	/** Every bearer token issued by /oauth/token so far (for secret-leak tests). */
	issuedTokens(): string[];
}

const SCIM_ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
const SINGLE_RESOURCE = /^\/(Users|Groups)\/([^/?]+)$/;
const COLLECTION = /^\/(Users|Groups)\/?$/;

/** Per-request state the sandbox's middlewares share. */
interface SandboxLocals {
	scimContext?: ScimContext;
	dropAfterApply?: boolean;
}

function sendScimError(res: Response, status: number, detail: string, scimType?: string): void {
	// The echoTokenInErrors quirk: a careless server repeats the bearer token it was sent.
	const echoed = (res.locals as { echoToken?: string }).echoToken;
	if (echoed) detail = `${detail} (request authorised by ${echoed})`;
	res.status(status)
		.type('application/scim+json')
		.send(JSON.stringify({ schemas: [SCIM_ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail }));
}

/**
 * scimmy's Config (and each resource's base path, which scimmy-routers sets per request) is process-wide; each
 * sandbox applies its own just before scimmy reads it. The store's handlers are synchronous, so nothing from
 * here to scimmy's reads waits on I/O, and concurrent sandboxes in one process do not mix (see concurrent.test.ts).
 */
let appliedConfigKey = '';
function applyScimConfig(options: SandboxOptions): void {
	const config = serviceProviderConfig(options);
	const key = JSON.stringify(config);
	if (key === appliedConfigKey) return;
	SCIMMY.Config.set(config);
	appliedConfigKey = key;
}

export async function startSandbox(overrides: Partial<SandboxOptions> = {}): Promise<RunningSandbox> {
	const options: SandboxOptions = { ...DEFAULT_OPTIONS, ...withoutUndefined(overrides) };
	validateKnobs(options);
	declareScimResources();

	const store = new ScimStore(options.persistFile);
	store.load(options.seedFile);
	const tokens = new TokenIssuer(options.tokenTtlSeconds, options.staticToken);
	const clock = options.clock ?? REAL_CLOCK;
	const chaos = new Chaos(options, options.seed ?? Math.floor(Math.random() * 2 ** 31), clock);
	const quirks = (): QuirkKnobs => ({ ...NO_QUIRKS, ...(chaos.current.quirks ?? {}) });
	const quirkState: QuirkState = { userWrites: 0 };
	let counters = emptyCounters();
	const log = (line: string) => {
		if (!options.quiet) console.log(line);
	};

	const app = express();
	app.disable('x-powered-by');
	app.disable('etag');

	app.use('/_sandbox', adminRouter());

	// Everything below is "Plek": counted, delayed, and (under /scim/v2) rate-limited and faulty.
	app.use((req, res, next) => {
		const started = Date.now();
		const route = routeTemplate(req.method, req.originalUrl);
		let counted = false;
		const record = (status: string) => {
			if (counted) return;
			counted = true;
			countRequest(counters, route, status);
			log(`${req.method} ${req.originalUrl} ${status} ${Date.now() - started}ms`);
		};
		res.on('finish', () => record(String(res.statusCode)));
		res.on('close', () => record(res.writableFinished ? String(res.statusCode) : 'dropped'));
		const delay = chaos.latencyMs();
		if (delay > 0) clock.after(delay, next);
		else next();
	});

	app.post(TOKEN_PATH, express.urlencoded({ extended: false, limit: '16kb' }), express.json({ limit: '16kb' }), (req, res) => {
		res.setHeader('Cache-Control', 'no-store');
		const body = (req.body ?? {}) as Record<string, unknown>;
		const basic = parseBasicAuth(req.header('authorization'));
		const clientId = basic?.clientId ?? (typeof body.client_id === 'string' ? body.client_id : undefined);
		const clientSecret = basic?.clientSecret ?? (typeof body.client_secret === 'string' ? body.client_secret : undefined);
		if (body.grant_type !== 'client_credentials') {
			res.status(400).json({ error: 'unsupported_grant_type', error_description: 'Only grant_type=client_credentials is supported' });
			return;
		}
		if (clientId === undefined || clientSecret === undefined) {
			res.status(400).json({ error: 'invalid_request', error_description: 'client_id and client_secret are required' });
			return;
		}
		if (!safeEqual(clientId, options.clientId) || !safeEqual(clientSecret, options.clientSecret)) {
			if (basic) res.setHeader('WWW-Authenticate', 'Basic realm="plek-sandbox"');
			res.status(401).json({ error: 'invalid_client', error_description: 'Client authentication failed' });
			return;
		}
		res.json(tokens.issue());
	});

	/** The discovery and echo quirks, before anything else answers. */
	function discoveryAndEchoQuirks(req: Request, res: Response, next: NextFunction): void {
		const q = quirks();
		if (q.echoTokenInErrors) {
			const bearer = /^Bearer\s+(\S+)/i.exec(req.header('authorization') ?? '');
			if (bearer) (res.locals as { echoToken?: string }).echoToken = bearer[1];
		}
		if (q.noDiscovery && /^\/(ServiceProviderConfig|Schemas|ResourceTypes)(\/|$)/.test(req.path)) {
			sendScimError(res, q.noDiscovery, q.noDiscovery === 501 ? 'Not implemented' : 'Not found');
			return;
		}
		next();
	}

	app.use(SCIM_BASE_PATH, discoveryAndEchoQuirks, rateLimit, injectFaults, authenticate, express.json({ type: ['application/scim+json', 'application/json'], limit: options.maxPayloadSize }), prepareScimRequest);
	const scimRouter = new SCIMMYRouters({
		type: 'oauth',
		docUri: 'https://www.plek.co',
		// The sandbox authenticates in `authenticate` above (to control the 401 body and WWW-Authenticate header).
		handler: () => options.clientId,
		context: (req: Request) => (req.res!.locals as SandboxLocals).scimContext,
		baseUri: (req: Request) => `${req.protocol}://${req.get('host')}`,
	});
	appliedConfigKey = '';
	app.use(SCIM_BASE_PATH, (_req, _res, next) => {
		applyScimConfig(quirks().bulkBroken ? { ...options, bulk: false } : options);
		next();
	}, scimRouter);
	app.use(SCIM_BASE_PATH, scimErrorHandler);
	app.use((_req, res) => {
		res.status(404).json({ error: 'not_found' });
	});

	function rateLimit(_req: Request, res: Response, next: NextFunction): void {
		const retryAfter = chaos.retryAfterSeconds();
		if (retryAfter === undefined) return next();
		res.setHeader('Retry-After', String(retryAfter));
		sendScimError(res, 429, `Too many requests: the limit is ${chaos.current.requestsPerSecond} per second`);
	}

	function injectFaults(req: Request, res: Response, next: NextFunction): void {
		const decision = chaos.decide(req.method);
		if (decision.kind === 'error') {
			sendScimError(res, decision.status, `Injected fault (${decision.status})`);
		} else if (decision.kind === 'drop' && !decision.afterApply) {
			req.socket.destroy();
		} else {
			if (decision.kind === 'drop') (res.locals as SandboxLocals).dropAfterApply = true;
			next();
		}
	}

	function authenticate(req: Request, res: Response, next: NextFunction): void {
		if (quirks().discoveryWithoutAuth && /^\/ServiceProviderConfig\/?$/.test(req.path)) return next();
		const check = tokens.check(req.header('authorization'));
		if (check === 'valid') return next();
		const reason =
			check === 'missing' ? 'Missing bearer token' : check === 'expired' ? 'The access token expired' : 'Unknown access token';
		res.setHeader(
			'WWW-Authenticate',
			check === 'missing' ? 'Bearer realm="plek-sandbox"' : `Bearer realm="plek-sandbox", error="invalid_token", error_description="${reason}"`,
		);
		sendScimError(res, 401, reason);
	}

	/** Counts writes, checks If-Match, parses equality filters, normalises paging, and hooks the response. */
	function prepareScimRequest(req: Request, res: Response, next: NextFunction): void {
		const locals = res.locals as SandboxLocals;
		store.externalIdUnique = !quirks().externalIdNotUnique;
		if (WRITE_METHODS.has(req.method) && !req.path.endsWith('/.search')) {
			const operations = req.path === '/Bulk' ? req.body?.Operations : undefined;
			// A Bulk request refused as a whole (Bulk off, too many operations) writes nothing.
			const bulkRefused = Array.isArray(operations) && (!options.bulk || operations.length > options.maxOperations);
			if (!bulkRefused) counters.writes += Array.isArray(operations) ? operations.length : 1;
		}

		const quirk = applyWriteQuirks(req.method, req.path, req.body, quirks(), quirkState);
		if (quirk?.refusal) {
			sendScimError(res, 400, quirk.refusal.detail, quirk.refusal.scimType);
			return;
		}
		const dropped = quirk?.unchanged ? SINGLE_RESOURCE.exec(req.path) : null;
		const current = dropped ? store.get('User', decodeURIComponent(dropped[2])) : undefined;
		if (current) {
			res.status(200).type('application/scim+json').send(render('User', current, `${req.protocol}://${req.get('host')}${SCIM_BASE_PATH}`));
			return;
		}

		const single = SINGLE_RESOURCE.exec(req.path);
		const ifMatch = req.header('if-match');
		if (single && ifMatch && ifMatch.trim() !== '*' && WRITE_METHODS.has(req.method)) {
			const current = store.get(single[1] === 'Users' ? 'User' : 'Group', decodeURIComponent(single[2]));
			if (current && !ifMatch.split(',').some((tag) => sameVersion(tag, current.meta.version))) {
				sendScimError(res, 412, `Resource changed: current version is ${current.meta.version}`);
				return;
			}
		}

		if (single?.[1] === 'Groups' && req.method === 'PATCH' && serveMembershipPatch(req, res, decodeURIComponent(single[2]))) return;

		// Express 5 re-parses req.query on every read; pin one object so the changes below (and scimmy-routers'
		// own number casting) stick.
		const query: Record<string, any> = { ...(req.query as Record<string, any>) };
		Object.defineProperty(req, 'query', { value: query, writable: true, configurable: true, enumerable: true });
		const context: ScimContext = { store };
		if (serveServerQuirks(req, res, query)) return;
		if (typeof query.filter === 'string') {
			try {
				const equality = parseEqualityFilter(query.filter, { unescapeBackslashes: !quirks().backslashNotUnescaped });
				if (equality) {
					context.equalityFilter = equality;
					delete query.filter;
				}
			} catch (error) {
				sendScimError(res, 400, (error as Error).message, 'invalidFilter');
				return;
			}
		}
		const collection = req.method === 'GET' ? COLLECTION.exec(req.path) : null;
		if (collection) {
			const requested = Number(query.count);
			const count = query.count !== undefined && Number.isInteger(requested) ? requested : options.pageSize;
			query.count = Math.max(0, Math.min(count, options.maxResults));
			const startIndex = Number(query.startIndex);
			query.startIndex = Number.isInteger(startIndex) && startIndex > 0 ? startIndex : 1;
		}
		locals.scimContext = context;
		const resourcePath = `${req.protocol}://${req.get('host')}${SCIM_BASE_PATH}`;
		if (req.path === '/Bulk') context.afterWrite = (kind, resource) => render(kind, resource, resourcePath);
		const plainRendering = ['attributes', 'excludedAttributes', 'sortBy'].every((key) => query[key] === undefined);
		if (collection && plainRendering) {
			serveList(res, collection[1] === 'Users' ? 'User' : 'Group', resourcePath, query, context);
			return;
		}

		const json = res.json.bind(res);
		const noContent = quirks().patchNoContent && req.method === 'PATCH' && single?.[1] === 'Users' && query.attributes === undefined;
		res.json = (body: any) => {
			if (noContent && res.statusCode === 200) {
				res.status(204).end();
				return res;
			}
			if (body && typeof body === 'object') {
				if (Array.isArray(body.schemas) && body.schemas.includes(LIST_RESPONSE_SCHEMA) && context.startIndex !== undefined) {
					body = { ...body, startIndex: context.startIndex, itemsPerPage: body.Resources?.length ?? 0 };
				}
				if (typeof body.meta?.version === 'string') {
					res.setHeader('ETag', body.meta.version);
					// Whatever scimmy rendered for a single resource is what a list would render: keep it.
					const kind = body.meta.resourceType;
					if (plainRendering && (kind === 'User' || kind === 'Group') && store.get(kind, body.id)?.meta.version === body.meta.version) {
						store.rendered(store.get(kind, body.id)!, `${resourcePath}/${kind}s`, () => JSON.stringify(body));
					}
				}
				if (res.statusCode === 201 && typeof body.meta?.location === 'string') res.setHeader('Location', body.meta.location);
			}
			return json(body);
		};
		if (locals.dropAfterApply) {
			// The write has been applied by the time a response is sent; the client never hears of it.
			res.end = (() => {
				req.socket.destroy();
				return res;
			}) as typeof res.end;
		}
		next();
	}

	/** Quirks that answer a request themselves (a 500 with a stack trace, as one server does); true: answered. */
	function serveServerQuirks(req: Request, res: Response, query: Record<string, any>): boolean {
		const q = quirks();
		const trace = (what: string) =>
			res.status(500).type('text/plain').send(`Error: ${what}\n    at Object.handle (/srv/scim/lib/router.js:211:17)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)`);
		if (q.escapedQuoteFilter500 && typeof query.filter === 'string' && query.filter.includes('\\"')) {
			trace('Unterminated string in filter');
			return true;
		}
		if (q.bulkBroken && req.path === '/Bulk') {
			trace('Bulk is not implemented');
			return true;
		}
		const refusal = q.strictPatchPaths && req.method === 'PATCH' && /^\/Users\//.test(req.path) ? strictPathRefusal(req.body) : undefined;
		if (refusal) {
			sendScimError(res, 400, refusal, 'invalidPath');
			return true;
		}
		if (q.emailFilterQuirks && typeof query.filter === 'string' && /^\s*emails/i.test(query.filter)) return serveEmailFilter(res, query.filter);
		if (q.putMerges && req.method === 'PUT' && /^\/Users\/[^/]+$/.test(req.path)) {
			const current = store.get('User', decodeURIComponent(req.path.slice('/Users/'.length)));
			if (current) req.body = { ...current, ...(req.body as object), id: undefined, meta: undefined };
		}
		return false;
	}

	/** emailFilterQuirks: `emails.value eq` is a 400 once a user has no e-mail; a filtered e-mail path finds nobody. */
	function serveEmailFilter(res: Response, filter: string): boolean {
		if (/^\s*emails\[/i.test(filter)) {
			res.status(200).type('application/scim+json').send(listBody(LIST_RESPONSE_SCHEMA, 0, 1, [], quirks(), 0));
			return true;
		}
		if (store.list('User').some((u) => !Array.isArray(u.emails) || u.emails.length === 0)) {
			sendScimError(res, 400, 'Cannot read properties of undefined (reading \'value\')', 'invalidFilter');
			return true;
		}
		return false;
	}

	/** A membership PATCH the sandbox applies itself (see groupPatch.ts); false: scimmy handles the request. */
	function serveMembershipPatch(req: Request, res: Response, groupId: string): boolean {
		const query = req.query as Record<string, unknown>;
		if (query.attributes !== undefined || query.excludedAttributes !== undefined) return false;
		const q = quirks();
		const quirky = membershipQuirk(req.body, q);
		const operations = quirky ? [] : membershipOperations(req.body);
		const group = operations ? store.get('Group', groupId) : undefined;
		if (!operations || !group) return false;
		const members = Array.isArray(group.members) ? (group.members as Array<Record<string, unknown>>) : [];
		const outcome = quirky
			? { members: quirky === 'removeAll' ? [] : [...members, ...addedMembers(req.body)], changed: true }
			: applyMembership(members, operations, (id) => store.get('User', id) !== undefined);
		if (!outcome) return false;
		const updated = outcome.changed ? store.update('Group', groupId, { ...group, members: outcome.members }) : group;
		if ((res.locals as SandboxLocals).dropAfterApply) {
			// Applied; the client never hears of it.
			req.socket.destroy();
		} else if (!outcome.changed) {
			res.status(204).end();
		} else {
			const body = render('Group', updated, `${req.protocol}://${req.get('host')}${SCIM_BASE_PATH}`);
			res.status(200).type('application/scim+json').setHeader('ETag', updated.meta.version);
			res.send(body);
		}
		return true;
	}

	/**
	 * GET /Users and /Groups without attribute selection: the page is rendered from scimmy renderings cached per
	 * resource version (see ScimStore.rendered), filters other than `attr eq "..."` are still scimmy's Filter.
	 * Requests with attributes/excludedAttributes go through scimmy-routers (see scim.ts `page`).
	 */
	function serveList(res: Response, kind: ResourceKind, scimBase: string, query: Record<string, any>, context: ScimContext): void {
		let matches: ScimResource[];
		try {
			matches = context.equalityFilter
				? store.findEqual(kind, context.equalityFilter)
				: typeof query.filter === 'string'
					? matchEach(new SCIMMY.Types.Filter(query.filter), store.list(kind))
					: store.list(kind);
		} catch (error: any) {
			sendScimError(res, Number(error?.status) || 400, String(error?.message), error?.scimType ?? 'invalidFilter');
			return;
		}
		const startIndex: number = query.startIndex;
		const q = quirks();
		if (q.hideUnmanagedFromLists && kind === 'User' && !context.equalityFilter && typeof query.filter !== 'string') {
			matches = matches.filter((user) => typeof user.externalId === 'string' && user.externalId !== '');
		}
		const count = q.pageCap > 0 ? Math.min(query.count, q.pageCap) : query.count;
		let page = matches.slice(startIndex - 1, startIndex - 1 + count);
		if (q.duplicateIdsAcrossPages && startIndex > 1 && page.length > 0) page = [matches[startIndex - 2], ...page.slice(0, -1)];
		const resources = page.map((resource) => render(kind, resource, scimBase));
		res.status(200).type('application/scim+json').send(listBody(LIST_RESPONSE_SCHEMA, matches.length, startIndex, resources, q, count));
	}

	/** scimmy's rendering of a resource, cached per version (see ScimStore.rendered). */
	function render(kind: ResourceKind, resource: ScimResource, scimBase: string): string {
		const basepath = `${scimBase}/${kind}s`;
		const schema = kind === 'User' ? SCIMMY.Schemas.User : SCIMMY.Schemas.Group;
		const members = kind === 'Group' ? plainMembers(resource) : undefined;
		if (members) return store.rendered(resource, basepath, () => renderGroupWithPlainMembers(resource, members, basepath));
		return store.rendered(resource, basepath, () => JSON.stringify(new schema(resource, 'out', basepath)));
	}

	/**
	 * Renders loaded data up front (about 0.5 ms per user), so the first listing after loading 10,000 users is
	 * not seconds slower than the next one. Clients that reach the sandbox under another host name than its URL
	 * get renderings on first use instead.
	 */
	function renderAll(): void {
		for (const kind of ['User', 'Group'] as const) {
			for (const resource of store.list(kind)) render(kind, resource, scimUrl);
		}
	}

	function scimErrorHandler(error: any, _req: Request, res: Response, next: NextFunction): void {
		if (res.headersSent) return next(error);
		const status = Number(error?.status ?? error?.statusCode) || 500;
		const scimType = error?.type === 'entity.parse.failed' ? 'invalidSyntax' : error?.scimType;
		sendScimError(res, status, status >= 500 ? 'Internal server error' : String(error?.message ?? 'Bad request'), scimType);
	}

	function adminRouter() {
		const admin = express.Router();
		admin.use(express.json());
		admin.get('/counters', (_req, res) => {
			res.json(counters);
		});
		admin.post('/counters/reset', (_req, res) => {
			counters = emptyCounters();
			res.status(204).end();
		});
		admin.get('/state', (_req, res) => {
			res.json(store.snapshot());
		});
		admin.post('/reset', (_req, res) => {
			store.clear();
			res.status(204).end();
		});
		admin.post('/load', (req, res) => {
			try {
				store.replaceAll(req.body ?? {});
				renderAll();
				res.status(204).end();
			} catch (error) {
				res.status(400).json({ error: (error as Error).message });
			}
		});
		admin.get('/faults', (_req, res) => {
			res.json(chaos.current);
		});
		admin.post('/faults', (req, res) => {
			try {
				setFaults(req.body ?? {});
				res.json(chaos.current);
			} catch (error) {
				res.status(400).json({ error: (error as Error).message });
			}
		});
		return admin;
	}

	function setFaults(update: FaultUpdate): void {
		const { seed, ...knobs } = update;
		validateKnobs(knobs);
		if (seed !== undefined && !Number.isInteger(seed)) throw new Error('seed must be an integer');
		const known: Array<keyof FaultKnobs> = ['latencyMs', 'requestsPerSecond', 'faultRate', 'dropRate', 'quirks'];
		const unknown = Object.keys(knobs).filter((key) => !known.includes(key as keyof FaultKnobs));
		if (unknown.length) throw new Error(`Unknown fault knob(s): ${unknown.join(', ')}`);
		chaos.update(knobs, seed);
	}

	const server: Server = createServer(app);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port, options.host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
	const scimUrl = url + SCIM_BASE_PATH;
	renderAll();

	return {
		url,
		port,
		scimUrl,
		tokenUrl: url + TOKEN_PATH,
		options: Object.freeze({ ...options, port }),
		close: async () => {
			await new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
			store.flush();
		},
		counters: () => structuredClone(counters),
		resetCounters: () => {
			counters = emptyCounters();
		},
		users: () => store.snapshot().users,
		groups: () => store.snapshot().groups,
		reset: () => store.clear(),
		load: (data) => {
			store.replaceAll(data);
			renderAll();
		},
		setFaults,
		faults: () => chaos.current,
		issuedTokens: () => tokens.issued(),
	};
}

/** strictPatchPaths: a path-less operation with dotted names in its value, or a path at an extension's root. */
function strictPathRefusal(body: unknown): string | undefined {
	const operations = (body as { Operations?: unknown })?.Operations;
	if (!Array.isArray(operations)) return undefined;
	for (const op of operations as Array<Record<string, unknown>>) {
		const path = typeof op?.path === 'string' ? op.path : undefined;
		const value = op?.value;
		if (!path && value && typeof value === 'object' && Object.keys(value).some((key) => !key.startsWith('urn:') && key.includes('.'))) {
			return 'Attribute names with dots need a path';
		}
		if (path && /^urn:[^[]*:User$/i.test(path)) return `A path at the extension root is not supported: ${path}`;
	}
	return undefined;
}

/**
 * The membership quirks: `remove` of `members` with a value (removeMembersWithValueRemovesAll) and `add` of members
 * already present (duplicateMemberAdds, applied to every add). undefined: no quirk applies to this body.
 */
function membershipQuirk(body: unknown, q: QuirkKnobs): 'removeAll' | 'addDuplicates' | undefined {
	const operations = (body as { Operations?: unknown })?.Operations;
	if (!Array.isArray(operations)) return undefined;
	for (const op of operations as Array<Record<string, unknown>>) {
		const kind = String(op?.op ?? '').toLowerCase();
		const path = String(op?.path ?? '').toLowerCase();
		if (q.removeMembersWithValueRemovesAll && kind === 'remove' && path === 'members' && op.value !== undefined) return 'removeAll';
	}
	if (q.duplicateMemberAdds && operations.length > 0 && operations.every((op) => String(op?.op).toLowerCase() === 'add' && String(op?.path).toLowerCase() === 'members')) {
		return 'addDuplicates';
	}
	return undefined;
}

function addedMembers(body: unknown): Array<Record<string, unknown>> {
	const operations = (body as { Operations: Array<{ value?: unknown }> }).Operations;
	return operations.flatMap((op) => (Array.isArray(op.value) ? (op.value as Array<Record<string, unknown>>) : [])).map((m) => ({ value: m.value }));
}

/** The member ids when every member is exactly `{ value: "<id>" }` (what the sync writes), else undefined. */
function plainMembers(group: ScimResource): string[] | undefined {
	if (!Array.isArray(group.members) || group.members.length < 2) return undefined;
	const ids: string[] = [];
	for (const member of group.members) {
		if (typeof member?.value !== 'string' || Object.keys(member).length !== 1) return undefined;
		ids.push(member.value);
	}
	return ids;
}

const MEMBERS_PLACEHOLDER = 'plek-sandbox-members-placeholder';

/**
 * scimmy's rendering of a group whose members are all `{ value }`: scimmy renders the group with one placeholder
 * member, and the placeholder's `[{"value":...}]` is replaced by the members' own (scimmy renders such a member as
 * exactly that). Coercing 5,000 members took ~0.25 s per rendering; this costs one JSON.stringify of the ids.
 */
function renderGroupWithPlainMembers(group: ScimResource, ids: string[], basepath: string): string {
	const template = JSON.stringify(new SCIMMY.Schemas.Group({ ...group, members: [{ value: MEMBERS_PLACEHOLDER }] }, 'out', basepath));
	const placeholder = `"members":[{"value":"${MEMBERS_PLACEHOLDER}"}]`;
	if (!template.includes(placeholder)) return JSON.stringify(new SCIMMY.Schemas.Group(group, 'out', basepath));
	const members = `"members":${JSON.stringify(ids.map((value) => ({ value })))}`;
	return template.replace(placeholder, () => members);
}

/**
 * scimmy's Filter.match throws on some resources that lack the filtered attribute (for example
 * `emails[type eq "work" and value eq "x"]` on a user without emails); such a resource simply does not match.
 */
function matchEach(filter: InstanceType<typeof SCIMMY.Types.Filter>, resources: ScimResource[]): ScimResource[] {
	return resources.filter((resource) => {
		try {
			return filter.match([resource]).length > 0;
		} catch {
			return false;
		}
	});
}

function sameVersion(tag: string, version: string): boolean {
	const strip = (value: string) => value.trim().replace(/^W\//, '');
	return strip(tag) === strip(version);
}

function parseBasicAuth(header: string | undefined): { clientId: string; clientSecret: string } | undefined {
	const match = /^Basic\s+(\S+)\s*$/i.exec(header ?? '');
	if (!match) return undefined;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return undefined;
	// RFC 6749 2.3.1: both parts are form-urlencoded before being joined.
	const decode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
	try {
		return { clientId: decode(decoded.slice(0, colon)), clientSecret: decode(decoded.slice(colon + 1)) };
	} catch {
		return undefined;
	}
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
	return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
