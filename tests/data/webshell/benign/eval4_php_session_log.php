<?php
session_start();
error_log('session ' . substr(hash('sha256', session_id()), 0, 12) . ' ' . $_SERVER['PATH_INFO']);
