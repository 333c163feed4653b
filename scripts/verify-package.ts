// n8n's community-package gate, run locally on what `npm publish` would ship. Packs the package, unpacks the
// tarball into a temporary folder and runs the analyzer of @n8n/scan-community-package on it with the scanner's own
// two legs: the source files it lints from the provenance-attested checkout (package.json, nodes/, credentials/ -
// here taken from this working tree) and the tarball's compiled .js plus package.json. Inline eslint-disable
// comments are ignored, as in the real scan. Exit code 1 and the ESLint report when anything is found.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const TARBALL_PATTERNS = ['**/*.js', 'package.json'];

async function main(): Promise<void> {
	const scanner = await import('@n8n/scan-community-package/scanner/scanner.mjs');
	const root = path.resolve(__dirname, '..');
	const work = mkdtempSync(path.join(tmpdir(), 'plek-verify-'));
	try {
		const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root }).toString().trim();
		const tarball = path.join(work, packed.split('\n').pop() as string);
		const unpacked = path.join(work, 'package');
		execFileSync('tar', ['-xzf', tarball, '-C', work]);
		const legs = [
			{ name: `source (${scanner.SOURCE_FILE_PATTERNS.join(', ')})`, dir: root, patterns: scanner.SOURCE_FILE_PATTERNS },
			{ name: `tarball ${path.basename(tarball)} (${TARBALL_PATTERNS.join(', ')})`, dir: unpacked, patterns: TARBALL_PATTERNS },
		];
		let passed = true;
		for (const leg of legs) {
			const result = await scanner.analyzePackage(leg.dir, leg.patterns);
			console.log(`${result.passed ? 'PASS' : 'FAIL'} ${leg.name}${result.message ? `: ${result.message}` : ''}`);
			if (result.details) console.log(result.details);
			passed &&= result.passed;
		}
		if (!passed) process.exitCode = 1;
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
