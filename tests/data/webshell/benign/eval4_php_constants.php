<?php
define('DEFAULT_FORMAT', 'Y-m-d');
echo date(constant('DEFAULT_FORMAT'));
