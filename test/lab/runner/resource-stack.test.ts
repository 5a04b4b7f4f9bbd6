import { expect } from 'chai';
import { ResourceStack } from '../../../lab/runner/resource-stack.ts';

describe('ResourceStack', () => {
  it('releases in reverse order of acquisition, and hands each resource to its release', async () => {
    const stack = new ResourceStack();
    const released: string[] = [];
    stack.defer('first', () => {
      released.push('first');
    });
    const second = stack.use('second', { name: 'second' }, async (resource) => {
      await new Promise((resolve) => setImmediate(resolve));
      released.push(resource.name);
    });
    expect(second).to.deep.equal({ name: 'second' });
    stack.defer('third', () => {
      released.push('third');
    });
    expect(await stack.disposeAsync()).to.deep.equal([]);
    expect(released).to.deep.equal(['third', 'second', 'first']);
  });

  it('goes on past a failing release and reports each failure by its label', async () => {
    const stack = new ResourceStack();
    const released: string[] = [];
    stack.defer('close a', () => {
      released.push('a');
    });
    stack.defer('close b', () => {
      throw new Error('b is stuck');
    });
    stack.defer('close c', () => Promise.reject('c refused'));
    stack.defer('close d', () => {
      released.push('d');
    });
    const failures = await stack.disposeAsync();
    expect(released).to.deep.equal(['d', 'a']);
    expect(failures.map(({ label, error }) => [label, error.message])).to.deep.equal([
      ['close c', 'c refused'],
      ['close b', 'b is stuck'],
    ]);
  });

  it('releases once: a second dispose finds nothing, and nothing can be deferred afterwards', async () => {
    const stack = new ResourceStack();
    let releases = 0;
    stack.defer('count', () => {
      releases++;
    });
    await stack.disposeAsync();
    await stack.disposeAsync();
    expect(releases).to.equal(1);
    expect(() => stack.defer('late', () => {})).to.throw(/already disposed/);
  });
});
