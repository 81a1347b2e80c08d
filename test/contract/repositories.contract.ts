/**
 * The repository contract every backend must pass (SQLite now, Postgres next). A backend test
 * calls `describeRepositoryContract('sqlite', () => …)`; each test gets fresh repositories from
 * `makeRepos` and closes them after. Tests use random ids and relative counts, so a backend may
 * also hand out repositories on one shared database.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Repositories } from '../../src/core/ports/repositories.js';
import { describeAccountContract } from './account-repositories.contract.js';
import { describeConfigContract } from './config-repositories.contract.js';
import { describeModelContract } from './model-repository.contract.js';
import { describeUploadFeedbackContract } from './upload-feedback-repositories.contract.js';

export function describeRepositoryContract(name: string, makeRepos: () => Promise<Repositories>) {
  describe(`${name} repositories (contract)`, () => {
    let repos: Repositories | null = null;
    const current = (): Repositories => {
      if (!repos) throw new Error('repositories used outside a test');
      return repos;
    };

    beforeEach(async () => {
      repos = await makeRepos();
    });
    afterEach(async () => {
      await repos?.close();
      repos = null;
    });

    it('answers ping', async () => {
      await expect(current().ping()).resolves.toBeUndefined();
    });

    describeAccountContract(current);
    describeModelContract(current);
    describeConfigContract(current);
    describeUploadFeedbackContract(current);
  });
}
