export {
  type RedriveOutcome,
  type RedriveReport,
  RedriveError,
  redriveDeadLetters,
} from './redrive.ts';
