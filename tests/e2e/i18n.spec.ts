import { expect, test, type Page } from '@playwright/test';
import { CALL_UI_MS } from './support/bounds.ts';
import { pushDelivery } from './support/push-delivery.ts';
import { acceptInvitation, type SignedUp } from './support/ui.ts';
import { newPerson } from './support/users.ts';

// A Russian browser: Accept-Language and navigator.languages say ru-RU.
test.use({ locale: 'ru-RU' });

/** Signs a new person up through the Russian form and waits for the Russian lobby. */
async function signUpInRussian(page: Page, name: string): Promise<SignedUp> {
	const person = newPerson(name);
	await page.goto('/signup');
	await page.getByRole('textbox', { name: 'Имя' }).fill(person.name);
	await page.getByRole('textbox', { name: 'Эл. почта' }).fill(person.email);
	await page.getByLabel('Пароль').fill(person.password);
	await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
	await expect(page.getByRole('heading', { name: 'Ваши комнаты' })).toBeVisible();
	return { ...person, page };
}

test('a Russian browser gets Parley in Russian: sign-up, lobby, room, call, and English from Settings without a reload', async ({ browser }) => {
	const [a, b] = await Promise.all([browser.newContext(), browser.newContext()]);
	const page = await a.newPage();

	// Sign-up, rendered in Russian by the server (no English first), with the server's own validation in Russian.
	await page.goto('/signup');
	await expect(page.locator('html')).toHaveAttribute('lang', 'ru');
	await expect(page).toHaveTitle('Регистрация · Parley');
	await expect(page.getByRole('heading', { name: 'Создайте аккаунт' })).toBeVisible();
	const anna = newPerson('Анна');
	await page.getByRole('textbox', { name: 'Имя' }).fill(anna.name);
	await page.getByRole('textbox', { name: 'Эл. почта' }).fill(anna.email);
	await page.getByLabel('Пароль').fill('short');
	await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
	await expect(page.getByText('Пароль должен быть не короче 8 символов')).toBeVisible();
	await page.getByLabel('Пароль').fill(anna.password);
	await page.getByRole('button', { name: 'Зарегистрироваться' }).click();
	await expect(page.getByRole('heading', { name: 'Ваши комнаты' })).toBeVisible();
	await expect(page).toHaveTitle('Комнаты · Parley');

	const boris = await signUpInRussian(await b.newPage(), 'Борис');

	// A room whose name is only spaces: the API's validation error, in Russian.
	await page.getByRole('button', { name: 'Новая комната' }).click();
	await page.getByRole('textbox', { name: 'Название комнаты' }).fill('   ');
	await page.getByRole('button', { name: 'Создать' }).click();
	await expect(page.getByText('Дайте комнате название')).toBeVisible();
	await page.getByRole('textbox', { name: 'Название комнаты' }).fill('Книжный клуб');
	await page.getByRole('searchbox', { name: 'Добавить людей' }).fill(boris.email);
	await page.getByRole('button', { name: `Добавить: ${boris.name}` }).click();
	await page.getByRole('button', { name: 'Создать' }).click();
	await expect(page.getByRole('heading', { name: 'Книжный клуб' })).toBeVisible();
	const roomId = new URL(page.url()).pathname.split('/').at(-1)!;
	await acceptInvitation(boris.page, roomId);

	// The room: a Russian plural for two members (1 участник, 2 участника, 5 участников), chat and call controls.
	await expect(page.getByText('2 участника')).toBeVisible();
	await expect(page).toHaveTitle('Книжный клуб · Parley');
	await expect(page.getByRole('link', { name: 'Настройки комнаты' })).toBeVisible();
	await page.getByRole('textbox', { name: 'Сообщение' }).fill('Привет всем');
	await page.getByRole('button', { name: 'Отправить' }).click();
	await expect(page.getByRole('log', { name: 'Сообщения' })).toContainText('Привет всем');

	await page.getByRole('button', { name: 'Начать звонок' }).click({ timeout: CALL_UI_MS });
	const prejoin = page.getByRole('group', { name: 'Перед подключением' });
	await expect(prejoin.getByLabel('Изображение с камеры')).toBeVisible({ timeout: CALL_UI_MS });
	await expect(prejoin.getByText('Войти с выключенным микрофоном')).toBeVisible();
	await prejoin.getByRole('button', { name: 'Подключиться' }).click();
	const controls = page.getByRole('toolbar', { name: 'Управление звонком' });
	await expect(controls.getByRole('button', { name: 'Выключить микрофон' })).toBeVisible({ timeout: CALL_UI_MS });
	await controls.getByRole('button', { name: 'Выключить микрофон' }).click();
	await expect(controls.getByRole('button', { name: 'Включить микрофон' })).toBeVisible();
	await expect(controls.getByRole('button', { name: 'Выключить камеру' })).toBeVisible();
	await controls.getByRole('button', { name: 'Выйти из звонка' }).click();
	await expect(page.getByRole('button', { name: 'Начать звонок' })).toBeVisible({ timeout: CALL_UI_MS });

	// The room counts its members in Russian, and the lobby says who wrote last.
	await expect(page.getByRole('main').getByText('2 участника')).toBeVisible();
	await page.getByRole('link', { name: 'Назад к комнатам' }).click();
	await expect(page.getByRole('heading', { name: 'Ваши комнаты', level: 1 })).toBeVisible();
	await expect(page.getByRole('list', { name: 'Комнаты' })).toContainText('Вы: Привет всем');

	// Settings: English at once, with no reload and no new data.
	await page.getByRole('link', { name: 'Настройки' }).click();
	await expect(page.getByRole('heading', { name: 'Настройки', level: 1 })).toBeVisible();
	await page.evaluate(() => ((window as unknown as { __stayed: boolean }).__stayed = true));
	const requests: string[] = [];
	page.on('request', (request) => {
		if (request.resourceType() === 'document' || request.url().includes('__data.json')) requests.push(request.url());
	});
	await page.getByRole('combobox', { name: 'Язык интерфейса' }).selectOption('en');
	await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
	await expect(page.getByRole('combobox', { name: 'Interface language' })).toHaveValue('en');
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await expect(page).toHaveTitle('Settings · Parley');
	expect(await page.evaluate(() => (window as unknown as { __stayed?: boolean }).__stayed)).toBe(true);
	expect(requests).toEqual([]);
	await page.getByRole('link', { name: 'Parley' }).click();
	await expect(page.getByRole('heading', { name: 'Your rooms' })).toBeVisible();
	await expect(page.getByRole('list', { name: 'Rooms' })).toContainText('You: Привет всем');

	// Remembered for the account: another Russian device signing in as Anna gets English.
	const other = await browser.newContext();
	const otherPage = await other.newPage();
	await otherPage.goto('/signin');
	await otherPage.getByRole('textbox', { name: 'Эл. почта' }).fill(anna.email);
	await otherPage.getByLabel('Пароль').fill(anna.password);
	await otherPage.getByRole('button', { name: 'Войти' }).click();
	await expect(otherPage.getByRole('heading', { name: 'Your rooms' })).toBeVisible();
	await expect(otherPage.locator('html')).toHaveAttribute('lang', 'en');

	await Promise.all([a.close(), b.close(), other.close()]);
});

test('searching people for a lower-case Cyrillic name finds the capitalised one', async ({ browser }) => {
	const [a, b] = await Promise.all([browser.newContext(), browser.newContext()]);
	const searcher = await signUpInRussian(await a.newPage(), 'Вера');
	const found = await signUpInRussian(await b.newPage(), 'Ёлка Петрова');
	const page = searcher.page;
	await page.getByRole('button', { name: 'Новая комната' }).click();
	const search = page.getByRole('searchbox', { name: 'Добавить людей' });
	// Typed in lower case (SQLite's LIKE alone folds only ASCII), and with е for ё.
	await search.fill('петрова');
	await expect(page.getByRole('button', { name: `Добавить: ${found.name}` })).toBeVisible();
	await search.fill('елка');
	await expect(page.getByRole('list', { name: 'Найденные люди' })).toContainText(found.name);
	await Promise.all([a.close(), b.close()]);
});

test('an incoming call rings in Russian, with Ответить and Отклонить', async ({ browser, baseURL }) => {
	const context = await browser.newContext();
	await context.grantPermissions(['notifications'], { origin: baseURL });
	const page = await context.newPage();
	await signUpInRussian(page, 'Дед');
	await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });

	const push = await pushDelivery(context, page, baseURL!);
	const notifications = () =>
		page.evaluate(async () =>
			(await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
				title: n.title,
				lang: n.lang,
				actions: (n as Notification & { actions?: { title: string }[] }).actions?.map((a) => a.title)
			}))
		);
	// As the server sends it for someone who chose Russian in Settings.
	const ring = { type: 'ring', roomId: 'r1', roomName: 'Семья', callerId: 'u1', callerName: 'Бабушка', at: Date.now(), locale: 'ru' };
	await push.deliver(ring);
	await expect.poll(notifications).toEqual([{ title: 'Звонит Бабушка', lang: 'ru', actions: ['Ответить', 'Отклонить'] }]);
	await context.close();
});

test('a room’s settings fit a phone in Russian, long names and all', async ({ browser }) => {
	const phone = { viewport: { width: 390, height: 844 } };
	const [a, b] = await Promise.all([browser.newContext(phone), browser.newContext()]);
	const owner = await signUpInRussian(await a.newPage(), 'Александра Константинопольская');
	const member = await signUpInRussian(await b.newPage(), 'Борис Длинноимённый-Васильевич');
	const memberId = await member.page.evaluate(() => fetch('/api/auth/get-session').then(async (r) => (await r.json()).user.id as string));
	const room = await owner.page.evaluate(
		(userId) => fetch('/api/rooms', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Семейный чат выходного дня', memberIds: [userId] }) }).then((r) => r.json()),
		memberId
	);
	await acceptInvitation(member.page, room.id);
	const page = owner.page;
	await page.goto(`/rooms/${room.id}/settings`);
	await expect(page.getByRole('button', { name: `Заблокировать: ${member.name}` })).toBeVisible();
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
	expect(overflow, 'pixels wider than the phone').toBe(0);
	await Promise.all([a.close(), b.close()]);
});
