import { startSandbox } from '../../sandbox/server';
import { newUser, scimClient } from './helpers';

describe('several sandboxes in one process', () => {
	it('keep their data, settings and resource locations apart while serving at the same time', async () => {
		const first = await startSandbox({ maxResults: 3 });
		const second = await startSandbox({ bulk: false });
		try {
			const [firstScim, secondScim] = await Promise.all([scimClient(first), scimClient(second)]);
			const created = await Promise.all(
				Array.from({ length: 20 }, (_, i) =>
					i % 2 === 0 ? firstScim.post('/Users', newUser(`f${i}`)) : secondScim.post('/Users', newUser(`s${i}`)),
				),
			);
			created.forEach((response, i) => {
				expect(response.status).toBe(201);
				const own = i % 2 === 0 ? first : second;
				expect(response.data.meta.location).toBe(`${own.scimUrl}/Users/${response.data.id}`);
				expect(response.headers.location).toBe(response.data.meta.location);
			});
			expect(first.users().map((user) => user.externalId).every((key) => key.startsWith('f'))).toBe(true);
			expect(second.users()).toHaveLength(10);

			const [firstConfig, secondConfig] = await Promise.all([
				firstScim.get('/ServiceProviderConfig'),
				secondScim.get('/ServiceProviderConfig'),
			]);
			expect(firstConfig.data).toMatchObject({ filter: { maxResults: 3 }, bulk: { supported: true } });
			expect(secondConfig.data).toMatchObject({ filter: { maxResults: 1000 }, bulk: { supported: false } });
			expect(secondConfig.data.meta.location).toBe(`${second.scimUrl}/ServiceProviderConfig`);
		} finally {
			await Promise.all([first.close(), second.close()]);
		}
	});
});
