import type { CallRequest, Phone, PhoneDelegate } from '../../src/phone/phone.js';

/** A phone the test drives by hand: it records what the UI asked and reports what the test says. */
export class FakePhone implements Phone {
  request?: CallRequest;
  delegate: PhoneDelegate = {};
  tones: string[] = [];
  muted: boolean[] = [];
  hangups = 0;
  /** What sendDtmf answers (a phone with no media cannot send). */
  dtmfWorks = true;

  call(request: CallRequest, delegate: PhoneDelegate): void {
    this.request = request;
    this.delegate = delegate;
  }
  hangup(): void {
    this.hangups++;
    this.delegate.onEnded?.('local');
  }
  sendDtmf(tone: string): boolean {
    if (this.dtmfWorks) this.tones.push(tone);
    return this.dtmfWorks;
  }
  setMuted(muted: boolean): void {
    this.muted.push(muted);
  }
}
