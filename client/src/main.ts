// Entry point: Zod without eval (CSP), global styles, then the application.
import './lib/zod-jitless.ts';
import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';

mount(App, { target: document.getElementById('app')! });
