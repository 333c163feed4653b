// Reading a SCIM list to its end. A listing is complete only when a page comes back empty, or when a trustworthy
// totalResults is reached; never because totalResults equals the first page's length (servers report the page
// length, or cap the total at the page size, while more pages exist).
//
// totalResults is trusted only when the first page reports more than it served (the server counts beyond the
// page), and only while every page reports the same number. Then the pages up to it are read in waves of
// `concurrency`, and nothing more: an honest server costs no extra request. Otherwise the reads go on until an
// empty page, in waves that grow 1, 2, 4 ... up to `concurrency` (after a short page: one page, the end is near):
// on an honest server that costs exactly one extra GET (the empty page); on one whose totalResults cannot be
// trusted, at most `concurrency` pages past the end.

export interface ListedPage<T> {
	resources: T[];
	/** totalResults as the server reported it (undefined: it reported none). */
	total: number | undefined;
}

export interface PagingOptions<T> {
	/** One page: the server may serve fewer than `count`. */
	fetchPage: (startIndex: number, count: number) => Promise<ListedPage<T>>;
	/** `count` of the first request (the server's own page size shows in its answer). */
	pageSize: number;
	concurrency: number;
	/** Stop once this many resources are read (the last page is cut). */
	limit?: number;
	/** Each page's resources, in list order, with the page's startIndex. */
	take: (resources: T[], startIndex: number) => void;
	/** The error for a server whose pages contradict each other. */
	fail: (message: string) => Error;
}

interface Reading {
	cursor: number;
	taken: number;
	/** totalResults while it is trusted. */
	trusted: number | undefined;
	firstTotal: number | undefined;
	ended: boolean;
	short: boolean;
}

/** Reads every page of a list (or up to `limit` resources); see the comment at the top for when it ends. */
export async function readToTheEnd<T>(options: PagingOptions<T>): Promise<void> {
	const limit = options.limit ?? Number.POSITIVE_INFINITY;
	const firstCount = Math.min(options.pageSize, limit);
	if (firstCount <= 0) return;
	const first = await options.fetchPage(1, firstCount);
	const served = first.resources.slice(0, Math.min(first.resources.length, limit));
	options.take(served, 1);
	if (served.length === 0 || served.length >= limit) return;
	const perPage = first.resources.length;
	const state: Reading = {
		cursor: 1 + perPage,
		taken: served.length,
		trusted: first.total !== undefined && first.total > perPage ? first.total : undefined,
		firstTotal: first.total,
		ended: false,
		short: false,
	};
	for (let wave = 1; ; ) {
		if (state.trusted !== undefined && state.cursor > state.trusted) return;
		const pages = planWave(state, perPage, limit, wave, options.concurrency);
		const answers = await Promise.all(pages.map(async ({ start, count }) => await options.fetchPage(start, count)));
		settleWave(state, pages, answers, limit, options);
		if (state.ended || state.taken >= limit) return;
		wave = state.short ? 1 : Math.min(options.concurrency, wave * 2);
	}
}

/** The next pages to ask for: up to the trusted total, else `wave` pages (one at a time when a limit is set). */
function planWave(state: Reading, perPage: number, limit: number, wave: number, concurrency: number): Array<{ start: number; count: number }> {
	if (Number.isFinite(limit)) return [{ start: state.cursor, count: Math.min(perPage, limit - state.taken) }];
	// After a short page the end is probably near, whatever the total says: one page.
	if (state.short) return [{ start: state.cursor, count: perPage }];
	const size =
		state.trusted !== undefined ? Math.min(concurrency, Math.ceil((state.trusted - state.cursor + 1) / perPage)) : Math.max(1, wave);
	return Array.from({ length: size }, (_, i) => ({ start: state.cursor + i * perPage, count: perPage }));
}

/**
 * Takes a wave's pages in order. A page after a short one starts past the cursor (a gap): it and the rest are
 * dropped and asked again. An empty page ends the list; a later page of the same wave that is not empty means
 * the server's pages contradict each other, and the listing fails closed.
 */
function settleWave<T>(
	state: Reading,
	pages: ReadonlyArray<{ start: number; count: number }>,
	answers: ReadonlyArray<ListedPage<T>>,
	limit: number,
	options: PagingOptions<T>,
): void {
	state.short = false;
	for (let i = 0; i < answers.length; i++) {
		const { start, count } = pages[i];
		if (start !== state.cursor) return;
		const page = answers[i];
		if (page.resources.length === 0) {
			const later = answers.findIndex((other, j) => j > i && other.resources.length > 0);
			if (later >= 0) {
				throw options.fail(
					`Plek served an empty page at startIndex ${start} but resources at startIndex ${pages[later].start}: its paging contradicts itself`,
				);
			}
			state.ended = true;
			return;
		}
		const kept = page.resources.slice(0, Math.min(page.resources.length, limit - state.taken));
		options.take(kept, start);
		state.taken += kept.length;
		state.cursor += page.resources.length;
		if (page.total !== state.firstTotal) state.trusted = undefined;
		if (page.resources.length < count) state.short = true;
		if (state.taken >= limit) return;
	}
}
