/**
 * `npm start`: the n8n editor on http://localhost:5678 with n8n-nodes-plek installed as a community package, the
 * Plek sandbox, the sample Active Directory (OpenLDAP), the sample HR API and a local mail catcher running, their
 * credentials created and the templates imported. Ctrl+C stops everything.
 *
 * The editor's data lives in .runtime/n8n-user (git-ignored) and survives restarts; `npm start -- --reset` starts
 * from scratch. Ports: PLEK_EDITOR_PORT (5678), sandbox 8787, LDAP 3389, HR API 8788, SMTP 2525.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { startEditor, OWNER } from './lib/editor';
import { startEnvironment } from './lib/environment';
import { REPO_DIR } from './lib/n8n';
import { groupSeed } from './lib/samples';
import { startSmtpSink } from './lib/smtp-sink';
import { localTemplate, placeSampleCsv, TEMPLATE_NAMES } from './lib/templates';

const RUNTIME = join(REPO_DIR, '.runtime');
const USER_FOLDER = join(RUNTIME, 'n8n-user');
const FILES = join(RUNTIME, 'files');
const PORT = Number(process.env.PLEK_EDITOR_PORT ?? 5678);

const say = (line: string) => console.log(`[plek] ${line}`);

async function main() {
	if (process.argv.includes('--reset')) {
		say('Resetting .runtime/ (editor data, sandbox data)...');
		rmSync(RUNTIME, { recursive: true, force: true });
	}
	mkdirSync(RUNTIME, { recursive: true });
	if (!existsSync(join(REPO_DIR, 'dist', 'nodes'))) {
		say('Building the package (npm run build)...');
		if (spawnSync('npm', ['run', 'build'], { cwd: REPO_DIR, stdio: 'inherit' }).status !== 0) throw new Error('npm run build failed');
	}
	const keyFile = join(RUNTIME, 'encryption-key');
	if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(24).toString('hex'), { mode: 0o600 });
	const firstStart = !existsSync(join(USER_FOLDER, '.n8n', 'database.sqlite'));

	const smtp = await startSmtpSink(Number(process.env.PLEK_SMTP_PORT ?? 2525));
	const csvPath = placeSampleCsv(FILES);
	say('Preparing n8n 2.x on Node 24 (the first time this downloads about 3 GB and takes a few minutes)...');
	const env = await startEnvironment({
		ldap: true,
		hrApi: true,
		log: say,
		userFolder: USER_FOLDER,
		encryptionKey: readFileSync(keyFile, 'utf8').trim(),
		ldapPort: Number(process.env.PLEK_LDAP_PORT ?? 3389),
		hrApiPort: Number(process.env.PLEK_HR_API_PORT ?? 8788),
		smtp: { host: smtp.host, port: smtp.port },
		sandbox: { port: Number(process.env.PLEK_SANDBOX_PORT ?? 8787), persistFile: join(RUNTIME, 'sandbox.json') },
		n8nEnv: { N8N_RESTRICT_FILE_ACCESS_TO: FILES },
	});
	if (env.sandbox.groups().length === 0) env.sandbox.load({ users: env.sandbox.users(), groups: groupSeed().groups });

	if (firstStart) {
		say('Importing the templates...');
		await env.n8n.importWorkflow(localTemplate('error-workflow', env));
		for (const name of TEMPLATE_NAMES) await env.n8n.importWorkflow(localTemplate(name, env, { csvPath }));
	}

	say(`Starting the n8n editor on port ${PORT}...`);
	const editor = await startEditor(env, { port: PORT, extraEnv: { N8N_RESTRICT_FILE_ACCESS_TO: FILES } });
	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		say('Stopping...');
		await editor.stop();
		await env.close();
		await smtp.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	editor.process.on('exit', (code) => {
		if (!stopping) {
			say(`n8n exited (code ${code})`);
			void stop();
		}
	});
	let seen = 0;
	setInterval(() => {
		for (const mail of smtp.messages.slice(seen)) say(`E-mail received (not sent anywhere): "${mail.subject}" to ${mail.to.join(', ')}`);
		seen = smtp.messages.length;
	}, 1000).unref();

	console.log(`
  n8n editor:        ${editor.url}
  log in with:       ${OWNER.email} / ${OWNER.password}

  Workflows:         Plek user sync: Active Directory (LDAP) | HR export file (CSV) | HR REST API, and the error workflow.
                     Open one and press "Execute workflow": it syncs the sample organisation into the Plek sandbox.
  Plek sandbox:      ${env.sandbox.url}  (state: ${env.sandbox.url}/_sandbox/state, data in .runtime/sandbox.json)
  Active Directory:  ${env.ldap!.settings.url}  (bind ${env.ldap!.settings.bindDn} / ${env.ldap!.settings.bindPassword})
  HR API:            ${env.hrApi!.employeesUrl}
  HR export file:    ${csvPath}
  Report e-mails:    caught on ${smtp.host}:${smtp.port} and printed here

  Ctrl+C stops everything. Editor data: .runtime/n8n-user (npm start -- --reset starts over).
`);
}

main().catch((error) => {
	console.error(`npm start failed: ${(error as Error).message}`);
	process.exit(1);
});
