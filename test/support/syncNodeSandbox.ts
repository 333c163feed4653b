// The set-up the Sync node tests against the real sandbox share: one sandbox per test file, and the Sync node run
// through the node harness with an Access Token credential for that sandbox (requests over HTTP with axios).
//
//   const sandbox = sandboxForFile({ staticToken: 'my-token' });   // started before, closed after the file's tests
//   const run = await runSync(sandbox, { input, parameters });      // run.json(0)[0] is the Summary
import type { IDataObject } from 'n8n-workflow';

import { PlekSync } from '../../nodes/PlekSync/PlekSync.node';
import type { SandboxOptions } from '../../sandbox/options';
import { startSandbox, type RunningSandbox } from '../../sandbox/server';
import { axiosRequest } from '../plek-node/helpers';
import { runNode, type HarnessOptions, type NodeRun } from './nodeHarness';

export interface SandboxForFileOptions extends Partial<SandboxOptions> {
	/** Empty the sandbox and zero its counters before each test (default true). */
	resetEachTest?: boolean;
}

/**
 * Starts a sandbox (quiet) before the file's tests and closes it after them. The returned object stands for the
 * running sandbox, forwarding every member to it, so a test reads `sandbox.users()` as with `startSandbox`.
 */
export function sandboxForFile({ resetEachTest = true, ...options }: SandboxForFileOptions = {}): RunningSandbox {
	let running: RunningSandbox | undefined;
	beforeAll(async () => {
		running = await startSandbox({ quiet: true, ...options });
	});
	afterAll(async () => {
		await running?.close();
	});
	if (resetEachTest) {
		beforeEach(() => {
			running!.reset();
			running!.resetCounters();
		});
	}
	return new Proxy({} as RunningSandbox, {
		get(_, member) {
			if (!running) throw new Error('sandboxForFile: the sandbox is used before beforeAll started it');
			const value = Reflect.get(running, member) as unknown;
			return typeof value === 'function' ? value.bind(running) : value;
		},
	});
}

export interface SyncRunOptions extends Omit<HarnessOptions, 'credentials' | 'httpRequestWithAuthentication'> {
	/** Fields added to (or replacing) the Plek credential, e.g. its Protected Accounts. */
	credential?: IDataObject;
}

/** Runs the Plek Sync node against `sandbox`, authenticated with the sandbox's static token. */
export async function runSync(sandbox: RunningSandbox, { credential = {}, ...options }: SyncRunOptions): Promise<NodeRun> {
	const token = sandbox.options.staticToken;
	if (!token) throw new Error('runSync needs a sandbox started with a staticToken');
	return await runNode(new PlekSync(), {
		...options,
		credentials: {
			plekApi: { environmentUrl: sandbox.url, authentication: 'accessToken', accessToken: token, scimBasePath: '/scim/v2', ...credential },
		},
		httpRequestWithAuthentication: async (request) => await axiosRequest(request, token),
	});
}
