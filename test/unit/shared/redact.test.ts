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

  it('leaves out a name without a value: it may itself be the secret', () => {
    expect(redactParams({ X9S3CR3T: '', room: '1', token: '' }, redaction)).toEqual({ room: '1', token: '[redacted]' });
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

  it('redacts signature fields, query text and URL queries in fields, at any depth', () => {
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
      pushParams: { password: '[redacted]', room: '42', deeper: { token: '[redacted]' } },
      n: 1,
    });
  });

  it('reads a `?` inside a value as the query of a URL some reader may take it for', () => {
    const fields = { stream_param: 'token=x&next=http://h/p?token=y' };
    expect(JSON.parse(redactJson('', fields, redaction)).stream_param).toBe(
      'token=[redacted]&next=http://h/p?token=[redacted]',
    );
  });

  it.each([
    // `=` before the `?`: a base64 stream name, an app named `live=1`.
    ['rtmp://h/live/cam-c3RyZWFtMQ==?token=s1', 'rtmp://h/live/cam-c3RyZWFtMQ==?token=[redacted]'],
    ['rtmp://h/live=1/cam?room=1&key=s1', 'rtmp://h/live=1/cam?room=1&key=[redacted]'],
    // The first parameter, user info, a bare name, a second `?`.
    ['rtmp://h/live/cam?token=s1&room=1', 'rtmp://h/live/cam?token=[redacted]&room=1'],
    ['rtmp://u:s1@h:1935/live/cam', 'rtmp://[redacted]@h:1935/live/cam'],
    ['rtmp://s1@h/live/cam', 'rtmp://[redacted]@h/live/cam'],
    ['rtmp://h/live/cam?s1', 'rtmp://h/live/cam?[redacted]'],
    ['rtmp://h/live/cam?room=1?token=s1', 'rtmp://h/live/cam?room=1?token=[redacted]'],
    // A name escaped once more than the query decodes, and a URL escaped inside a value.
    ['rtmp://h/live/cam?%74oken=s1', 'rtmp://h/live/cam?%74oken=[redacted]'],
    ['rtmp://h/live/cam?%2574oken=s1', 'rtmp://h/live/cam?%2574oken=[redacted]'],
    [
      'rtmp://h/live?next=rtmp%3A%2F%2Fu%3As1%40g%2Fx%3Ftoken%3Ds1',
      'rtmp://h/live?next=rtmp%3A%2F%2F%5Bredacted%5D%40g%2Fx%3Ftoken%3D%5Bredacted%5D',
    ],
  ])('redacts %s', (url, redacted) => {
    const fields = { tcUrl: url };
    expect(JSON.parse(redactJson(JSON.stringify(fields), fields, redaction)).tcUrl).toBe(redacted);
  });

  it('redacts bare names in a query-valued field, and leaves a plain name alone', () => {
    const fields = { stream_param: 'SECRET&room=1', stream: 'cam1' };
    const text = JSON.stringify(fields);
    expect(JSON.parse(redactJson(text, fields, { ...redaction, queryFields: ['stream_param'] }))).toEqual({
      stream_param: '[redacted]&room=1',
      stream: 'cam1',
    });
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

  it('redacts a bare name (nginx-rtmp forwards `?SECRET` as `&SECRET`), escaped names, and URLs in values', () => {
    expect(redactForm('call=publish&name=cam&SECRET', redaction)).toBe('call=publish&name=cam&[redacted]');
    expect(redactForm('call=publish&%2574oken=s1', redaction)).toBe('call=publish&%2574oken=[redacted]');
    expect(redactForm('tcurl=rtmp%3A%2F%2Fu%3As1%40h%2Flive%3F%2574oken%3Ds1', redaction)).toBe(
      `tcurl=${encodeURIComponent('rtmp://[redacted]@h/live?%74oken=[redacted]')}`,
    );
  });
});
