import type { ExecutionResult } from '../../../scripts/lib/n8n';

/** Fails with what n8n said when an execution did not succeed. */
export function expectOk(result: ExecutionResult): void {
	if (!result.ok) {
		throw new Error(
			`n8n execution failed (exit ${result.code}): ${result.errorMessage ?? '(no error message)'}\n` +
				`--- stdout (end) ---\n${result.stdout.slice(-2500)}\n--- stderr (end) ---\n${result.stderr.slice(-2500)}`,
		);
	}
}
