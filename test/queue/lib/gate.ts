/**
 * A pass-through HTTP proxy in front of the Plek sandbox that can hold SCIM writes back until a number of complete
 * user listings have been answered. Two runs fired at once then both plan against the same state before either
 * writes: the worst case of an overlap (a schedule and a manual run that read Plek at the same moment), made
 * certain instead of left to timing. It changes nothing it forwards; the sandbox counts every request as usual.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

interface Pending {
	forward: () => void;
}

export interface GateReport {
	/** Complete GET /scim/v2/Users listings answered while the gate was armed. */
	listings: number;
	/** Write requests held back until the gate opened. */
	held: number;
	/** What opened the gate: enough listings, or the timeout (the runs did not overlap). */
	openedBy?: 'listings' | 'timeout';
}

export class WriteGate {
	private armed = false;
	private wanted = 0;
	private pending: Pending[] = [];
	private timer?: NodeJS.Timeout;
	report: GateReport = { listings: 0, held: 0 };

	private readonly server: Server;
	url = '';

	private constructor(private readonly target: URL) {
		this.server = createServer((req, res) => this.handle(req, res));
	}

	static async start(target: string): Promise<WriteGate> {
		const gate = new WriteGate(new URL(target));
		await new Promise<void>((resolve) => gate.server.listen(0, '127.0.0.1', resolve));
		const address = gate.server.address();
		gate.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
		return gate;
	}

	/** From now on, SCIM writes wait until `listings` complete user listings were answered (or `timeoutMs` passed). */
	holdWritesUntilListings(listings: number, timeoutMs: number): void {
		this.armed = true;
		this.wanted = listings;
		this.report = { listings: 0, held: 0 };
		this.timer = setTimeout(() => this.open('timeout'), timeoutMs);
	}

	/** Lets everything through again (what a test calls when it is done, whether or not the gate opened). */
	disarm(): void {
		this.open('timeout');
	}

	private open(by: 'listings' | 'timeout'): void {
		if (!this.armed) return;
		this.armed = false;
		clearTimeout(this.timer);
		this.report.openedBy = by;
		const pending = this.pending;
		this.pending = [];
		for (const p of pending) p.forward();
	}

	private handle(req: IncomingMessage, res: ServerResponse): void {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const forward = () => this.forward(req, res, body);
			const path = (req.url ?? '').split('?')[0];
			if (this.armed && WRITE_METHODS.has(req.method ?? '') && path.startsWith('/scim/v2/') && !path.endsWith('/.search')) {
				this.report.held++;
				this.pending.push({ forward });
			} else forward();
		});
	}

	private forward(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
		const path = (req.url ?? '').split('?')[0];
		// The full listing a run plans from; a filtered lookup (409 resolution) is no listing.
		const isListing = req.method === 'GET' && /^\/scim\/v2\/Users\/?$/.test(path) && !/[?&]filter=/.test(req.url ?? '');
		const upstream = request(
			{
				host: this.target.hostname,
				port: this.target.port,
				method: req.method,
				path: req.url,
				// The Host header stays the proxy's, so the sandbox's meta.location URLs point back through it.
				headers: { ...req.headers, 'content-length': String(body.length) },
			},
			(answer) => {
				const chunks: Buffer[] = [];
				answer.on('data', (chunk: Buffer) => chunks.push(chunk));
				answer.on('end', () => {
					const text = Buffer.concat(chunks);
					res.writeHead(answer.statusCode ?? 502, answer.headers);
					res.end(text);
					if (isListing && this.armed && answer.statusCode === 200 && isLastPage(text)) {
						this.report.listings++;
						if (this.report.listings >= this.wanted) this.open('listings');
					}
				});
			},
		);
		upstream.on('error', () => res.destroy());
		upstream.end(body);
	}

	async close(): Promise<void> {
		this.disarm();
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}
}

/** A list response that reaches totalResults: the end of one run's reading of the users. */
function isLastPage(body: Buffer): boolean {
	try {
		const list = JSON.parse(body.toString('utf8')) as { totalResults?: number; startIndex?: number; itemsPerPage?: number; Resources?: unknown[] };
		const start = list.startIndex ?? 1;
		const count = list.itemsPerPage ?? list.Resources?.length ?? 0;
		return list.totalResults !== undefined && start - 1 + count >= list.totalResults;
	} catch {
		return false;
	}
}
