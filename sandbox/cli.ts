/**
 * `npm run sandbox -- [flags]`: starts the Plek sandbox and keeps it running until Ctrl+C.
 * Run with --help for the flags and their defaults.
 */
import { parseArgs } from 'node:util';

import { DEFAULT_OPTIONS, Latency, SandboxOptions } from './options';
import { startSandbox } from './server';

const HELP = `Plek sandbox: a local Plek-compatible SCIM 2.0 + OAuth2 server for demos, tests and benchmarks.

Usage: npm run sandbox -- [flags]

  --port <n>            port to listen on; 0 picks a free one           (default 8787)
  --host <addr>         address to bind                                  (default ${DEFAULT_OPTIONS.host})
  --client-id <id>      OAuth2 client id                                 (default ${DEFAULT_OPTIONS.clientId})
  --client-secret <s>   OAuth2 client secret                             (default ${DEFAULT_OPTIONS.clientSecret})
  --static-token <t>    also accept this fixed bearer token              (default none)
  --token-ttl <s>       lifetime of issued tokens in seconds             (default ${DEFAULT_OPTIONS.tokenTtlSeconds})
  --seed-file <f>       JSON {users: [], groups: []} loaded at start     (default none)
  --persist <f>         load from and save to this JSON file             (default in memory)
  --latency <ms|a-b>    added latency per request, fixed or a range      (default ${DEFAULT_OPTIONS.latencyMs})
  --rps <n>             SCIM requests per second before 429; 0 = off     (default ${DEFAULT_OPTIONS.requestsPerSecond})
  --fault-rate <0..1>   fraction of SCIM requests answered 500/502/503   (default ${DEFAULT_OPTIONS.faultRate})
  --drop-rate <0..1>    fraction of SCIM requests whose connection drops (default ${DEFAULT_OPTIONS.dropRate})
  --seed <n>            seed of the fault/latency PRNG                   (default random)
  --no-bulk             do not advertise or serve /Bulk                  (default bulk on)
  --max-operations <n>  Bulk maxOperations                               (default ${DEFAULT_OPTIONS.maxOperations})
  --max-payload <bytes> Bulk maxPayloadSize and request body limit       (default ${DEFAULT_OPTIONS.maxPayloadSize})
  --max-results <n>     largest page a list or filter returns            (default ${DEFAULT_OPTIONS.maxResults})
  --page-size <n>       page size when a list request has no count       (default ${DEFAULT_OPTIONS.pageSize})
  --quiet               do not log requests
  --help                show this help

Admin endpoints (local testing only, no auth): GET /_sandbox/counters, POST /_sandbox/counters/reset,
GET /_sandbox/state, POST /_sandbox/reset, POST /_sandbox/load, GET|POST /_sandbox/faults.`;

function parseCommandLine(argv: string[]): Partial<SandboxOptions> | 'help' {
	const { values } = parseArgs({
		args: argv,
		strict: true,
		options: {
			port: { type: 'string' },
			host: { type: 'string' },
			'client-id': { type: 'string' },
			'client-secret': { type: 'string' },
			'static-token': { type: 'string' },
			'token-ttl': { type: 'string' },
			'seed-file': { type: 'string' },
			persist: { type: 'string' },
			latency: { type: 'string' },
			rps: { type: 'string' },
			'fault-rate': { type: 'string' },
			'drop-rate': { type: 'string' },
			seed: { type: 'string' },
			'no-bulk': { type: 'boolean' },
			'max-operations': { type: 'string' },
			'max-payload': { type: 'string' },
			'max-results': { type: 'string' },
			'page-size': { type: 'string' },
			quiet: { type: 'boolean' },
			help: { type: 'boolean', short: 'h' },
		},
	});
	if (values.help) return 'help';
	const number = (flag: string, value: string | undefined, integer = true): number | undefined => {
		if (value === undefined) return undefined;
		const parsed = Number(value);
		if (value.trim() === '' || !Number.isFinite(parsed) || (integer && !Number.isInteger(parsed)) || parsed < 0) {
			throw new Error(`--${flag} expects a ${integer ? 'whole ' : ''}number >= 0, got "${value}"`);
		}
		return parsed;
	};
	return {
		port: number('port', values.port) ?? 8787,
		host: values.host,
		clientId: values['client-id'],
		clientSecret: values['client-secret'],
		staticToken: values['static-token'],
		tokenTtlSeconds: number('token-ttl', values['token-ttl']),
		seedFile: values['seed-file'],
		persistFile: values.persist,
		latencyMs: parseLatency(values.latency),
		requestsPerSecond: number('rps', values.rps, false),
		faultRate: number('fault-rate', values['fault-rate'], false),
		dropRate: number('drop-rate', values['drop-rate'], false),
		seed: number('seed', values.seed),
		bulk: values['no-bulk'] ? false : undefined,
		maxOperations: number('max-operations', values['max-operations']),
		maxPayloadSize: number('max-payload', values['max-payload']),
		maxResults: number('max-results', values['max-results']),
		pageSize: number('page-size', values['page-size']),
		quiet: values.quiet ?? false,
	};
}

function parseLatency(value: string | undefined): Latency | undefined {
	if (value === undefined) return undefined;
	const range = /^(\d+)-(\d+)$/.exec(value.trim());
	if (range) return { min: Number(range[1]), max: Number(range[2]) };
	const fixed = Number(value);
	if (value.trim() === '' || !Number.isFinite(fixed) || fixed < 0) {
		throw new Error(`--latency expects milliseconds or a range like 10-50, got "${value}"`);
	}
	return fixed;
}

async function main(): Promise<void> {
	let parsed: Partial<SandboxOptions> | 'help';
	try {
		parsed = parseCommandLine(process.argv.slice(2));
	} catch (error) {
		console.error(`${(error as Error).message}\n\n${HELP}`);
		process.exit(2);
	}
	if (parsed === 'help') {
		console.log(HELP);
		return;
	}
	const sandbox = await startSandbox(parsed);
	const { options } = sandbox;
	console.log(`Plek sandbox listening on ${sandbox.url}
  SCIM base URL  ${sandbox.scimUrl}
  token URL      ${sandbox.tokenUrl}
  client id      ${options.clientId}
  client secret  ${options.clientSecret === DEFAULT_OPTIONS.clientSecret ? options.clientSecret : '(as given)'}${
		options.staticToken ? '\n  static token   (as given)' : ''
	}
  bulk ${options.bulk ? 'on' : 'off'}, rps ${options.requestsPerSecond || 'unlimited'}, fault rate ${options.faultRate}, drop rate ${options.dropRate}, latency ${JSON.stringify(options.latencyMs)}ms${
		options.persistFile ? `\n  persisting to  ${options.persistFile}` : ''
	}
  counters       ${sandbox.url}/_sandbox/counters`);

	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`\n${signal}: stopping the sandbox`);
		sandbox.close().then(
			() => process.exit(0),
			(error) => {
				console.error(error);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
