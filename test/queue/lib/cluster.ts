/** scripts/queue-mode.sh driven from a test: Postgres + Redis, a main and two workers, stopped by process id. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { cleanNpmEnv, CredentialExport, REPO_DIR, run, WorkflowJson } from '../../../scripts/lib/n8n';

const SCRIPT = join(REPO_DIR, 'scripts', 'queue-mode.sh');

export type Worker = 'worker1' | 'worker2';
export const WORKERS: Worker[] = ['worker1', 'worker2'];

export interface ExecutionRow {
	id: string;
	status: string;
	startedAt: string;
	stoppedAt: string;
}

export class QueueCluster {
	readonly dir = mkdtempSync(join(tmpdir(), 'plek-queue-'));
	mainUrl = '';

	private async script(args: string[], timeoutMs = 300_000): Promise<string> {
		const result = await run('bash', [SCRIPT, ...args], { env: cleanNpmEnv({ PLEK_QUEUE_DIR: this.dir }), timeoutMs });
		if (result.code !== 0) throw new Error(`queue-mode.sh ${args.join(' ')} failed (exit ${result.code}):\n${result.stdout}\n${result.stderr.slice(-4000)}`);
		return result.stdout.trim();
	}

	async services(): Promise<void> {
		await this.script(['services']);
		await this.script(['package']);
	}

	async importCredentials(credentials: CredentialExport[]): Promise<void> {
		const file = join(this.dir, 'credentials.json');
		writeFileSync(file, JSON.stringify(credentials));
		await this.script(['n8n', 'import:credentials', `--input=${file}`]);
	}

	/** Imports with the CLI (before the main starts) and publishes, so the main registers their production webhooks. */
	async importAndPublish(workflows: WorkflowJson[]): Promise<void> {
		const file = join(this.dir, 'workflows.json');
		writeFileSync(file, JSON.stringify(workflows));
		await this.script(['n8n', 'import:workflow', `--input=${file}`]);
		for (const workflow of workflows) await this.script(['n8n', 'publish:workflow', `--id=${workflow.id}`]);
	}

	async start(): Promise<void> {
		this.mainUrl = (await this.script(['start'], 400_000)).split('\n').pop()!;
	}

	log(name: 'main' | Worker): string {
		return readFileSync(join(this.dir, 'logs', `${name}.log`), 'utf8');
	}

	/** Execution ids a worker's log says it started ("Worker started execution 3 (job 3)"). */
	executionsOf(worker: Worker): string[] {
		return this.startLines(worker).map((line) => /started execution (\d+)/i.exec(line)![1]);
	}

	/** The worker's own log lines for the executions it started. */
	startLines(worker: Worker): string[] {
		return this.log(worker).split('\n').filter((line) => /Worker started execution \d+/.test(line));
	}

	/** Which worker's log says it started this execution (undefined: none did). */
	workerOf(executionId: string): Worker | undefined {
		return WORKERS.find((w) => this.executionsOf(w).includes(executionId));
	}

	/** Execution rows from the shared Postgres database: id, status, startedAt, stoppedAt (ISO, UTC). */
	async executions(ids: string[]): Promise<ExecutionRow[]> {
		const sql =
			`select id, status, to_char("startedAt" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), ` +
			`to_char("stoppedAt" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') from execution_entity ` +
			`where id in (${ids.map((id) => Number(id)).join(',')}) order by id`;
		const out = await this.script(['psql', '-At', '-F', '|', '-c', sql]);
		return out
			.split('\n')
			.filter(Boolean)
			.map((line) => {
				const [id, status, startedAt, stoppedAt] = line.split('|');
				return { id, status, startedAt, stoppedAt };
			});
	}

	async stop(): Promise<void> {
		await this.script(['stop'], 120_000);
	}
}
