import { describe, expect, it } from 'vitest';
import { audioClocks, insertDtmfDuration } from '../../../src/core/dtmf-duration.js';

// Answers in the shapes PBXs send: the browser sends the first audio format of the answer.
const answer = (m: string, ...attrs: string[]) => ['v=0', 'o=- 1 1 IN IP4 203.0.113.10', 's=-', 't=0 0', m, ...attrs, ''].join('\r\n');
const OPUS_TE8000 = answer('m=audio 30000 UDP/TLS/RTP/SAVPF 111 126', 'a=rtpmap:111 opus/48000/2', 'a=rtpmap:126 telephone-event/8000', 'a=fmtp:126 0-15');
const OPUS_TE48000 = answer('m=audio 30000 UDP/TLS/RTP/SAVPF 111 110', 'a=rtpmap:111 opus/48000/2', 'a=rtpmap:110 telephone-event/48000');
const OPUS_BOTH = answer('m=audio 30000 UDP/TLS/RTP/SAVPF 111 126 110', 'a=rtpmap:111 opus/48000/2', 'a=rtpmap:126 telephone-event/8000', 'a=rtpmap:110 telephone-event/48000');
const PCMU_TE8000 = answer('m=audio 30000 RTP/AVP 0 101', 'a=rtpmap:101 telephone-event/8000');
const G722 = answer('m=audio 30000 RTP/AVP 9 101', 'a=rtpmap:9 G722/8000', 'a=rtpmap:101 telephone-event/8000');

describe('audioClocks', () => {
  it('reads the first audio codec and the telephone-event clocks', () => {
    expect(audioClocks(OPUS_TE8000)).toEqual({ audio: 48000, events: [8000] });
    expect(audioClocks(OPUS_BOTH)).toEqual({ audio: 48000, events: [8000, 48000] });
    expect(audioClocks(PCMU_TE8000)).toEqual({ audio: 8000, events: [8000] });
  });

  it('skips comfort noise and telephone-event listed first, and reads only the audio section', () => {
    const sdp = answer('m=audio 30000 RTP/AVP 101 13 0', 'a=rtpmap:101 telephone-event/8000', 'a=rtpmap:13 CN/8000')
      + 'm=video 30002 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\n';
    expect(audioClocks(sdp)).toEqual({ audio: 8000, events: [8000] });
  });

  it('has nothing to say without an audio section', () => {
    expect(audioClocks('v=0\r\nm=video 1 RTP/AVP 96\r\n')).toBeUndefined();
  });
});

describe('insertDtmfDuration', () => {
  it('stretches the request by the clock ratio when Opus meets telephone-event/8000', () => {
    expect(insertDtmfDuration(OPUS_TE8000, 160)).toBe(960);
    expect(insertDtmfDuration(OPUS_TE8000, 100)).toBe(600);
  });

  it('leaves it alone when the clocks agree', () => {
    expect(insertDtmfDuration(PCMU_TE8000, 160)).toBe(160);
    expect(insertDtmfDuration(G722, 160)).toBe(160);
    expect(insertDtmfDuration(OPUS_TE48000, 160)).toBe(160);
    expect(insertDtmfDuration(OPUS_BOTH, 160)).toBe(160);
  });

  it('stays within what insertDTMF accepts', () => {
    expect(insertDtmfDuration(OPUS_TE8000, 2000)).toBe(6000);
  });

  it('leaves it alone when there is no answer or no telephone-event in it', () => {
    expect(insertDtmfDuration(undefined, 160)).toBe(160);
    expect(insertDtmfDuration(answer('m=audio 1 RTP/AVP 111', 'a=rtpmap:111 opus/48000/2'), 160)).toBe(160);
  });
});
