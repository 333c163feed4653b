/** scripts/queue-mode.sh driven from a test: Postgres + Redis, a main and two workers, stopped by process id. */
import { readFileSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { cleanNpmEnv, CredentialExport, REPO_DIR, run, WorkflowJson } from '../../../scripts/lib/n8n';

const SCRIPT = join(REPO_DIR, 'scripts', 'queue-mode.sh');

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

	/** Imports with the CLI (before the main starts) and publishes, so the main registers its production webhook. */
	async importAndPublish(workflow: WorkflowJson): Promise<void> {
		const file = join(this.dir, `${workflow.id}.json`);
		writeFileSync(file, JSON.stringify(workflow));
		await this.script(['n8n', 'import:workflow', `--input=${file}`]);
		await this.script(['n8n', 'publish:workflow', `--id=${workflow.id}`]);
	}

	async start(): Promise<void> {
		this.mainUrl = (await this.script(['start'], 400_000)).split('\n').pop()!;
	}

	log(name: 'main' | 'worker1' | 'worker2'): string {
		return readFileSync(join(this.dir, 'logs', `${name}.log`), 'utf8');
	}

	/** Execution ids a worker's log says it started. */
	executionsOf(worker: 'worker1' | 'worker2'): string[] {
		return [...this.log(worker).matchAll(/started execution (\d+)/gi)].map((m) => m[1]);
	}

	async stop(): Promise<void> {
		await this.script(['stop'], 120_000);
	}
}
