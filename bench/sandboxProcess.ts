// The Plek sandbox in a child process of its own, so a benchmark's client and the server it talks to do not share
// one event loop and one CPU: a sync's wall time then shows the client's pace, not both sides' work added up.
// The parent gets a small proxy (url, counters, faults, the child's CPU time); this file is also the child's entry.
import { fork, type ChildProcess } from 'node:child_process';

import { startSandbox, type FaultUpdate, type RunningSandbox, type SandboxCounters, type SandboxOptions } from '../sandbox/server';

type Command = 'counters' | 'resetCounters' | 'setFaults' | 'cpu' | 'close';
interface Request {
	id: number;
	command: Command;
	faults?: FaultUpdate;
}
interface Reply {
	id: number;
	value?: unknown;
	error?: string;
}

export interface SandboxProcess {
	url: string;
	counters(): Promise<SandboxCounters>;
	resetCounters(): Promise<void>;
	setFaults(knobs: FaultUpdate): Promise<void>;
	/** CPU time (user + system, ms) the sandbox's process has used since it started. */
	cpuMs(): Promise<number>;
	close(): Promise<void>;
}

/** Starts the sandbox in a child process (same options as startSandbox, quiet). */
export async function sandboxProcess(options: Partial<SandboxOptions> = {}): Promise<SandboxProcess> {
	const child = fork(__filename, ['--child'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
	let nextId = 1;
	child.on('message', (message: Reply | { ready: string } | { failed: string }) => {
		if ('id' in message) {
			const waiter = pending.get(message.id);
			pending.delete(message.id);
			if (message.error !== undefined) waiter?.reject(new Error(message.error));
			else waiter?.resolve(message.value);
		}
	});
	child.on('exit', (code) => {
		for (const waiter of pending.values()) waiter.reject(new Error(`the sandbox process exited (code ${code})`));
		pending.clear();
	});
	const url = await started(child, options);
	const ask = async (command: Command, faults?: FaultUpdate): Promise<unknown> =>
		await new Promise((resolve, reject) => {
			const id = nextId++;
			pending.set(id, { resolve, reject });
			child.send({ id, command, faults } satisfies Request);
		});
	return {
		url,
		counters: async () => (await ask('counters')) as SandboxCounters,
		resetCounters: async () => void (await ask('resetCounters')),
		setFaults: async (knobs) => void (await ask('setFaults', knobs)),
		cpuMs: async () => (await ask('cpu')) as number,
		close: async () => {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			await ask('close').catch(() => undefined);
			await exited;
		},
	};
}

async function started(child: ChildProcess, options: Partial<SandboxOptions>): Promise<string> {
	return await new Promise<string>((resolve, reject) => {
		const onMessage = (message: { ready?: string; failed?: string }) => {
			if (message.ready) resolve(message.ready);
			else if (message.failed) reject(new Error(`the sandbox process did not start: ${message.failed}`));
			else return;
			child.off('message', onMessage);
		};
		child.on('message', onMessage);
		child.once('exit', (code) => reject(new Error(`the sandbox process exited before it started (code ${code})`)));
		child.send({ start: { quiet: true, ...options } });
	});
}

/** The child: starts the sandbox when told and answers the parent's commands. */
function serveParent(): void {
	let box: RunningSandbox | undefined;
	const send = (message: unknown) => process.send?.(message);
	const run = async (request: Request): Promise<unknown> => {
		if (!box) throw new Error('the sandbox has not started');
		switch (request.command) {
			case 'counters':
				return box.counters();
			case 'resetCounters':
				return box.resetCounters();
			case 'setFaults':
				return box.setFaults(request.faults ?? {});
			case 'cpu': {
				const used = process.cpuUsage();
				return (used.user + used.system) / 1000;
			}
			case 'close':
				await box.close();
				setImmediate(() => process.exit(0));
				return undefined;
		}
	};
	process.on('message', (message: Request | { start: Partial<SandboxOptions> }) => {
		if ('start' in message) {
			startSandbox(message.start).then(
				(running) => {
					box = running;
					send({ ready: running.url });
				},
				(error: unknown) => send({ failed: String(error) }),
			);
			return;
		}
		run(message).then(
			(value) => send({ id: message.id, value } satisfies Reply),
			(error: unknown) => send({ id: message.id, error: String(error) } satisfies Reply),
		);
	});
	// The parent went away: do not linger.
	process.on('disconnect', () => process.exit(0));
}

if (process.argv.includes('--child') && process.send) serveParent();
