import { describe, expect, it } from 'vitest';
import { cameraErrorText, videoErrorText } from './media-errors.js';

const domError = (name: string, message = '') => Object.assign(new Error(message), { name });

describe('cameraErrorText', () => {
  it('says the camera was refused, and what to do, for a denied permission', () => {
    expect(cameraErrorText(domError('NotAllowedError', 'Permission denied'))).toMatch(/^The camera was refused: allow camera access/);
  });

  it('says no camera was found when none exists or none fits', () => {
    expect(cameraErrorText(domError('NotFoundError'))).toMatch(/^No camera was found/);
    expect(cameraErrorText(domError('OverconstrainedError'))).toMatch(/^No camera was found/);
  });

  it('says the camera is busy when it cannot be read', () => {
    expect(cameraErrorText(domError('NotReadableError'))).toMatch(/another application/);
  });

  it('names an unexpected error with its name and message', () => {
    expect(cameraErrorText(domError('TypeError', 'constraints are empty'))).toBe('The camera could not be opened (TypeError: constraints are empty).');
  });
});

describe('videoErrorText', () => {
  it('names the file and the reason of the MediaError code', () => {
    expect(videoErrorText('clip.avi', { code: 4 })).toBe('The video "clip.avi" cannot be played: its format or codec is not one this browser plays (try WebM or MP4/H.264).');
    expect(videoErrorText('clip.webm', { code: 3, message: 'PIPELINE_ERROR_DECODE' })).toContain('(PIPELINE_ERROR_DECODE)');
    expect(videoErrorText('x.mp4', null)).toBe('The video "x.mp4" cannot be played: it could not be played.');
  });
});
