/** What relay nodes publish to each other: frames carried untouched, notices checked on the way in. */
import {expect} from 'chai';
import {frameMessage, noticeMessage, readMessage} from '../../src/relay/cluster-messages.js';

describe('messages between cluster nodes', () => {
  it('carries a frame, every byte of it, for one connection', () => {
    for (const size of [0, 1, 208, 65536]) {
      const frame = Uint8Array.from({length: size}, (_, i) => (i * 37) & 0xff);
      const read = readMessage(frameMessage('12345', frame));
      expect(read?.kind).to.equal('frame');
      if (read?.kind !== 'frame') return;
      expect(read.to).to.equal('12345');
      expect(Buffer.compare(read.frame, Buffer.from(frame))).to.equal(0);
    }
  });

  it('carries notices, and refuses malformed ones', () => {
    const notice = {t: 'paired', to: '3', rv: 'ab', from: {node: 'n~1', conn: '9'}} as const;
    expect(readMessage(noticeMessage(notice))).to.deep.equal({kind: 'notice', to: '3', notice});
    for (const bad of [
      Buffer.of(2, ...Buffer.from('{')),
      Buffer.of(2, ...Buffer.from(JSON.stringify({...notice, t: 'other'}))),
      Buffer.of(2, ...Buffer.from(JSON.stringify({...notice, from: {node: 1}}))),
      Buffer.of(1, 0, 9, 0x31),
      Buffer.of(9),
      Buffer.alloc(0),
    ]) {
      expect(readMessage(bad), bad.toString('hex')).to.equal(undefined);
    }
  });
});
