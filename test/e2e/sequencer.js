/** Runs the runtime smoke test first, so a broken n8n runtime shows as such before the template suites fail. */
const Sequencer = require('@jest/test-sequencer').default;

class SmokeFirst extends Sequencer {
	sort(tests) {
		const rank = (test) => (test.path.includes('smoke') ? 0 : 1);
		return [...tests].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
	}
}

module.exports = SmokeFirst;
