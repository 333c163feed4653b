/**
 * A tiny generic JSON HR API on loopback, serving the bundled sample (samples/hr-api/) for the REST template:
 *
 *   GET /api/v1/employees?page=1&limit=100      -> { data: [...], pagination: { page, limit, total, hasMore } }
 *   GET /api/v1/employees?cursor=<c>&limit=100  -> { data: [...], pagination: { limit, total, nextCursor } }
 *
 * With an `apiKey`, requests need `Authorization: Bearer <apiKey>` (the template's Header Auth credential).
 * `setEmployees` replaces the data (tests change a department or make someone leave).
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type HrEmployee = Record<string, unknown> & { id: string };

/** One employees page the API answered: what the request asked for and the ids of the people it returned. */
export interface HrApiPageServed {
	page: number | null;
	cursor: string | null;
	limit: number;
	ids: string[];
}

export interface HrApiServer {
	url: string;
	employeesUrl: string;
	requests(): number;
	/** Every employees page answered, in order. */
	served(): HrApiPageServed[];
	employees(): HrEmployee[];
	setEmployees(list: HrEmployee[]): void;
	close(): Promise<void>;
}

export function loadSampleEmployees(repoDir: string): HrEmployee[] {
	const dir = join(repoDir, 'samples', 'hr-api');
	return readdirSync(dir)
		.filter((name) => /^employees-page-\d+\.json$/.test(name))
		.sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]))
		.flatMap((name) => (JSON.parse(readFileSync(join(dir, name), 'utf8')) as { data: HrEmployee[] }).data);
}

export async function startHrApi(options: { employees: HrEmployee[]; apiKey?: string; port?: number; maxLimit?: number }): Promise<HrApiServer> {
	let employees = structuredClone(options.employees);
	let requests = 0;
	const served: HrApiPageServed[] = [];
	const maxLimit = options.maxLimit ?? 100;

	const send = (res: ServerResponse, status: number, body: unknown) => {
		res.writeHead(status, { 'content-type': 'application/json' });
		res.end(JSON.stringify(body));
	};

	const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
		requests++;
		const url = new URL(req.url ?? '/', 'http://localhost');
		if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
			return send(res, 401, { error: 'unauthorized', message: 'Missing or wrong API key' });
		}
		if (req.method !== 'GET' || url.pathname.replace(/\/$/, '') !== '/api/v1/employees') {
			return send(res, 404, { error: 'not_found' });
		}
		const limit = Math.min(Math.max(Number(url.searchParams.get('limit') ?? 50) || 50, 1), maxLimit);
		const cursor = url.searchParams.get('cursor');
		if (cursor !== null) {
			const offset = cursor === '' ? 0 : Number(Buffer.from(cursor, 'base64url').toString('utf8'));
			if (!Number.isInteger(offset) || offset < 0) return send(res, 400, { error: 'bad_cursor' });
			const data = employees.slice(offset, offset + limit);
			const next = offset + limit < employees.length ? Buffer.from(String(offset + limit)).toString('base64url') : null;
			served.push({ page: null, cursor, limit, ids: data.map((e) => e.id) });
			return send(res, 200, { data, pagination: { limit, total: employees.length, nextCursor: next } });
		}
		const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1);
		const data = employees.slice((page - 1) * limit, page * limit);
		served.push({ page, cursor: null, limit, ids: data.map((e) => e.id) });
		return send(res, 200, { data, pagination: { page, limit, total: employees.length, hasMore: page * limit < employees.length } });
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	const url = `http://127.0.0.1:${port}`;
	return {
		url,
		employeesUrl: `${url}/api/v1/employees`,
		requests: () => requests,
		served: () => structuredClone(served),
		employees: () => structuredClone(employees),
		setEmployees: (list) => {
			employees = structuredClone(list);
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}
