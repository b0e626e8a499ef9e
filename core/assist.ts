import type { Range } from './types';

export interface AssistItem { label: string; kind: 'property' | 'value' | 'keyword' | 'class' | 'field' | 'snippet'; detail?: string; documentation?: string; insertText?: string; isSnippet?: boolean; range?: Range; sortText?: string }
