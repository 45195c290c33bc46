import { describe, expect, it } from 'vitest';
import {
  credentialsOf,
  defaultCredentialNames,
  redactForm,
  redactJson,
  redactParams,
  type Redaction,
} from '../../../shared/redact';

const redaction: Redaction = { secretFields: ['sign'], credentials: credentialsOf(defaultCredentialNames) };

describe('redactParams', () => {
  it('replaces credential values, whatever the case of their names, and keeps the rest', () => {
    expect(redactParams({ TXSECRET: 'a', txTime: '5C2E', Token: 't', room: '42' }, redaction)).toEqual({
      TXSECRET: '[redacted]',
      txTime: '5C2E',
      Token: '[redacted]',
      room: '42',
    });
  });

  it('hands back the same object when nothing is a credential', () => {
    const params = { room: '42' };
    expect(redactParams(params, redaction)).toBe(params);
    expect(redactParams(undefined, redaction)).toBeUndefined();
  });

  it('redacts credentials inside a value that is a URL', () => {
    expect(redactParams({ next: 'rtmp://h/live?token=x&room=1' }, redaction)).toEqual({
      next: 'rtmp://h/live?token=[redacted]&room=1',
    });
  });
});

describe('redactJson', () => {
  it('keeps the text byte for byte when there is nothing to redact', () => {
    const text = '{ "app" : "a",\n "n": 1.0 }';
    expect(redactJson(text, JSON.parse(text), redaction)).toBe(text);
  });

  it('redacts signature fields, query text and URL queries in fields, and one level of objects', () => {
    const fields = {
      sign: 'abc',
      stream_param: 'txSecret=s&txTime=t',
      param: '?auth_key=k',
      tcUrl: 'rtmp://h/live?key=k2',
      errmsg: 'bad?x=1&token=y',
      pushParams: { password: 'p', room: '42', deeper: { token: 'kept, two levels down' } },
      n: 1,
    };
    expect(JSON.parse(redactJson(JSON.stringify(fields), fields, redaction))).toEqual({
      sign: '[redacted]',
      stream_param: 'txSecret=[redacted]&txTime=t',
      param: '?auth_key=[redacted]',
      tcUrl: 'rtmp://h/live?key=[redacted]',
      errmsg: 'bad?x=1&token=[redacted]',
      pushParams: { password: '[redacted]', room: '42', deeper: { token: 'kept, two levels down' } },
      n: 1,
    });
  });

  it('leaves a `?` that stands inside a value alone', () => {
    const fields = { stream_param: 'token=x&next=http://h/p?token=y' };
    expect(JSON.parse(redactJson('', fields, redaction)).stream_param).toBe('token=[redacted]&next=http://h/p?token=y');
  });
});

describe('redactForm', () => {
  it('rewrites only the pairs that hold credentials, every other pair byte for byte', () => {
    const text = 'app=live&flashver=FMLE%2F3.0&token=abc&room=4%32&sign=&usrargs=auth_key%3Dk%26room%3D1';
    expect(redactForm(text, redaction)).toBe(
      'app=live&flashver=FMLE%2F3.0&token=[redacted]&room=4%32&sign=[redacted]&usrargs=auth_key%3D%5Bredacted%5D%26room%3D1',
    );
  });

  it('hands back the text itself when nothing is a credential', () => {
    const text = 'a=1&&b=%zz';
    expect(redactForm(text, redaction)).toBe(text);
  });
});
