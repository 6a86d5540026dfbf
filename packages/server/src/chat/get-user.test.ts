import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openUseCaseScene, type UseCaseScene } from '../testing/use-case-scene.js';
import { getUser } from './get-user.js';

describe('getUser', () => {
  let scene: UseCaseScene;
  beforeEach(async () => {
    scene = await openUseCaseScene();
  });
  afterEach(() => scene.close());

  it('finds a user by id, and answers not_found for an id no user has', async () => {
    const { user } = await scene.caller('alice');
    expect(await getUser(scene.context, user.id)).toMatchObject({ id: user.id, username: 'alice' });
    await expect(getUser(scene.context, 'u_nobody')).rejects.toMatchObject({ code: 'not_found' });
  });
});
