/** The templates, pointed at the local servers of an environment (for the tests, the demo and `npm start`). */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { CREDENTIALS, E2eEnvironment } from './environment';
import { REPO_DIR, WorkflowJson } from './n8n';
import { HeadlessOptions, loadTemplate, WorkflowNode } from './workflows';

export const TEMPLATE_NAMES = ['active-directory-ldap', 'hr-csv-export', 'hr-rest-api', 'hr-csv-export-with-approval'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** Copies the sample HR export where n8n may read it (n8n 2.x restricts file access to allowed folders). */
export function placeSampleCsv(filesDir: string): string {
	mkdirSync(filesDir, { recursive: true });
	const target = join(filesDir, 'hr-export.csv');
	copyFileSync(join(REPO_DIR, 'samples', 'hr-export.csv'), target);
	return target;
}

/** Node patches that point a template at the environment's servers and files. */
export function localPatches(env: Pick<E2eEnvironment, 'hrApi'>, options: { csvPath?: string } = {}): HeadlessOptions['patch'] {
	return {
		'n8n-nodes-base.readWriteFile': (node: WorkflowNode) => {
			if (options.csvPath) node.parameters.fileSelector = options.csvPath;
		},
		'n8n-nodes-base.httpRequest': (node: WorkflowNode) => {
			if (env.hrApi) node.parameters.url = env.hrApi.employeesUrl;
		},
	};
}

/** A template with local servers and the environment's credentials, keeping its Schedule Trigger (for the editor). */
export function localTemplate(name: TemplateName | 'error-workflow', env: Pick<E2eEnvironment, 'hrApi'>, options: { csvPath?: string } = {}): WorkflowJson {
	const workflow = structuredClone(loadTemplate(name));
	const patches = localPatches(env, options) ?? {};
	for (const node of workflow.nodes) {
		if (node.credentials) {
			for (const type of Object.keys(node.credentials)) {
				const credential = (CREDENTIALS as Record<string, { id: string; name: string }>)[type];
				if (credential) node.credentials[type] = { ...credential };
			}
		}
		patches[node.type]?.(node);
	}
	return workflow;
}
